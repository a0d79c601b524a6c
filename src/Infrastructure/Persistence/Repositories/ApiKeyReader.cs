using Microsoft.EntityFrameworkCore;
using Sessions.Application.Access;
using Sessions.Domain.Access;

namespace Sessions.Infrastructure.Persistence.Repositories;

/// <summary>
/// Reads a key in a context of its own, only when the key is not already remembered: a request
/// (a stream especially, which lives for minutes) does not hold a context for authentication.
/// </summary>
internal sealed class ApiKeyReader(IDbContextFactory<SessionsDbContext> contexts) : IApiKeyReader
{
    public async Task<(ApiKey Key, KeyOwner Owner)?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking()
            .Include(k => k.Owner)
            .FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        return key is null ? null : (key, new KeyOwner(key.Owner!.Handle, key.Owner.Name));
    }

    public async Task<IReadOnlyDictionary<string, ApiKey>> FindByPrefixesAsync(
        IReadOnlyCollection<string> prefixes, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var keys = new Dictionary<string, ApiKey>(StringComparer.Ordinal);

        // In slices, so the query stays within every database's limit on parameters.
        foreach (var slice in prefixes.Chunk(500))
        {
            foreach (var key in await db.ApiKeys.AsNoTracking().Where(k => slice.Contains(k.Prefix)).ToListAsync(cancellationToken))
            {
                keys[key.Prefix] = key;
            }
        }

        return keys;
    }

    public async Task<StreamTicket?> FindTicketAsync(byte[] hash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.StreamTickets.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken);
    }
}
