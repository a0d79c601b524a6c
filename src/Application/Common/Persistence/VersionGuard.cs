using Sessions.Application.Common.Exceptions;
using Sessions.Domain.Common;

namespace Sessions.Application.Common.Persistence;

public static class VersionGuard
{
    /// <summary>Throws 412 when the client named a version and the aggregate is no longer at it.</summary>
    public static void EnsureVersion(this AggregateRoot aggregate, long? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != aggregate.Version)
        {
            throw new PreconditionFailedException(expected, aggregate.Version);
        }
    }
}
