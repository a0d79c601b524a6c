using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sessions.Application.Common.Idempotency;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.Idempotency;

/// <summary>
/// Keeps claims in their own short transactions (a context of their own), apart from the unit of work
/// of the request they guard: a claim must be seen by a concurrent request with the same key at once.
/// The response is stored by the unit of work (<see cref="IdempotencyResponses"/>).
/// </summary>
internal sealed class EfIdempotencyStore(IDbContextFactory<SessionsDbContext> contexts, TimeProvider clock) : IIdempotencyStore
{
    /// <summary>How long a first response is replayed.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>How long an unfinished claim blocks its key before it is taken as abandoned by a crashed request.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(2);

    public async Task<IdempotencyClaim> ClaimAsync(IdempotencyOwner owner, string key, string fingerprint, CancellationToken cancellationToken)
    {
        // Two rounds at most: a competing claim either wins the insert (we then read it) or
        // disappears between our read and our insert (we then insert again).
        for (var round = 0; ; round++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var existing = await IdempotencyResponses.Find(db, owner, key).FirstOrDefaultAsync(cancellationToken);

            if (existing is not null && (existing.ExpiresAt <= now || (existing.ResponseStatus is null && existing.ClaimExpiresAt <= now)))
            {
                db.IdempotencyRecords.Remove(existing);
                if (!await TrySaveAsync(db, cancellationToken) && round == 0)
                {
                    continue;
                }

                existing = null;
            }

            if (existing is not null)
            {
                return Judge(existing, fingerprint);
            }

            var claim = new IdempotencyRecord
            {
                UserId = owner.UserId,
                Grants = owner.Grants,
                Key = key,
                Fingerprint = fingerprint,
                CreatedAt = now,
                ClaimExpiresAt = now + ClaimTimeout,
                ExpiresAt = now + Retention,
            };
            claim.StoredBytes = claim.Size();
            db.IdempotencyRecords.Add(claim);
            if (await TrySaveAsync(db, cancellationToken))
            {
                return new IdempotencyClaim.Claimed();
            }

            if (round > 0)
            {
                return new IdempotencyClaim.InFlight();
            }
        }
    }

    public async Task ReleaseAsync(IdempotencyOwner owner, string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await IdempotencyResponses.Find(db, owner, key).Where(r => r.ResponseStatus == null).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return await db.IdempotencyRecords
            .Where(r => r.ExpiresAt <= now || (r.ResponseStatus == null && r.ClaimExpiresAt <= now))
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static IdempotencyClaim Judge(IdempotencyRecord record, string fingerprint)
    {
        if (!string.Equals(record.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return new IdempotencyClaim.Mismatch();
        }

        if (record.ResponseStatus is not { } status)
        {
            return new IdempotencyClaim.InFlight();
        }

        var headers = record.ResponseHeaders is null
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(record.ResponseHeaders)!;
        return new IdempotencyClaim.Replay(new StoredResponse(status, record.ResponseContentType, record.ResponseBody, headers));
    }

    private static async Task<bool> TrySaveAsync(SessionsDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception) || DatabaseErrors.IsWriteConflict(exception))
        {
            return false;
        }
    }
}
