using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Access;

namespace Sessions.Application.Access.Queries;

public sealed record ListApiKeysQuery : IQuery<IReadOnlyList<ApiKeySummary>>;

/// <summary>Everything about a key except its secret, which is never stored.</summary>
public sealed record ApiKeySummary(
    string Prefix,
    string UserHandle,
    string? Name,
    AccessGrants Grants,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);

public sealed class ListApiKeysQueryHandler(IReadRepository<ApiKey> keys, IReadRepository<User> users)
    : IRequestHandler<ListApiKeysQuery, IReadOnlyList<ApiKeySummary>>
{
    public async Task<IReadOnlyList<ApiKeySummary>> Handle(ListApiKeysQuery request, CancellationToken cancellationToken)
    {
        var all = await keys.ListAsync(new AllApiKeysSpec(), cancellationToken);
        var owners = (await users.ListAsync(new UsersByIdsSpec(all.Select(k => k.UserId).Distinct().ToArray()), cancellationToken))
            .ToDictionary(u => u.Id, u => u.Handle);
        return all
            .Select(k => new ApiKeySummary(k.Prefix, owners[k.UserId], k.Name, k.Grants, k.CreatedAt, k.ExpiresAt, k.RevokedAt))
            .ToArray();
    }
}
