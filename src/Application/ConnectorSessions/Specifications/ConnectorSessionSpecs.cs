using Ardalis.Specification;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.ConnectorSessions.Specifications;

/// <summary>One session of one owner: another owner's session is simply not found.</summary>
public sealed class ConnectorSessionByIdSpec : Specification<ConnectorSession>
{
    public ConnectorSessionByIdSpec(long ownerUserId, Guid sessionId) =>
        Query.Where(s => s.OwnerUserId == ownerUserId && s.Id == sessionId);
}

/// <summary>An owner's sessions, newest first (an index on owner and creation time serves it).</summary>
public sealed class ConnectorSessionsOfOwnerSpec : Specification<ConnectorSession>
{
    public ConnectorSessionsOfOwnerSpec(long ownerUserId, int offset, int limit)
    {
        Query.Where(s => s.OwnerUserId == ownerUserId)
            .OrderByDescending(s => s.CreatedAt)
            .ThenByDescending(s => s.Id)
            .Skip(offset)
            .Take(limit);
    }
}
