using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sessions.Application.Common.Idempotency;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.Idempotency;

/// <summary>
/// Keeps claims and responses in their own short transactions (a context of their own), apart
/// from the unit of work of the request they guard.
/// </summary>
internal sealed class EfIdempotencyStore(
    IDbContextFactory<SessionsDbContext> contexts, TimeProvider clock, IOptions<IdempotencyOptions> options) : IIdempotencyStore
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
            var existing = await Find(db, owner, key).FirstOrDefaultAsync(cancellationToken);

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

    public async Task CompleteAsync(IdempotencyOwner owner, string key, StoredResponse response, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await Find(db, owner, key).FirstOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            return;
        }

        record.ResponseStatus = response.StatusCode;
        record.ResponseContentType = response.ContentType;
        record.ResponseBody = response.Body is { } body && body.Length <= options.Value.MaxStoredResponseBytes ? body : null;
        record.ResponseHeaders = JsonSerializer.Serialize(response.Headers);
        record.ExpiresAt = clock.GetUtcNow() + Retention;
        record.StoredBytes = record.Size();
        await db.SaveChangesAsync(cancellationToken);
        await KeepWithinBudgetAsync(db, record, cancellationToken);
    }

    public async Task ReleaseAsync(IdempotencyOwner owner, string key, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await Find(db, owner, key).Where(r => r.ResponseStatus == null).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return await db.IdempotencyRecords
            .Where(r => r.ExpiresAt <= now || (r.ResponseStatus == null && r.ClaimExpiresAt <= now))
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static IQueryable<IdempotencyRecord> Find(SessionsDbContext db, IdempotencyOwner owner, string key) =>
        db.IdempotencyRecords.Where(r => r.UserId == owner.UserId && r.Grants == owner.Grants && r.Key == key);

    /// <summary>
    /// Forgets the user's oldest completed records (never the one just stored, nor a claim in flight)
    /// until what the user's records hold is within the budget again.
    /// </summary>
    private async Task KeepWithinBudgetAsync(SessionsDbContext db, IdempotencyRecord stored, CancellationToken cancellationToken)
    {
        var userId = stored.UserId;
        var excess = await db.IdempotencyRecords.Where(r => r.UserId == userId).SumAsync(r => (long)r.StoredBytes, cancellationToken)
                     - options.Value.MaxStoredBytesPerUser;
        if (excess <= 0)
        {
            return;
        }

        var evictable = db.IdempotencyRecords.Where(r => r.UserId == userId && r.ResponseStatus != null
                                                         && !(r.Grants == stored.Grants && r.Key == stored.Key));
        DateTimeOffset? cutoff = null;
        await foreach (var oldest in evictable.OrderBy(r => r.CreatedAt).Select(r => new { r.CreatedAt, r.StoredBytes })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            cutoff = oldest.CreatedAt;
            excess -= oldest.StoredBytes;
            if (excess <= 0)
            {
                break;
            }
        }

        if (cutoff is { } olderThanOrAt)
        {
            await evictable.Where(r => r.CreatedAt <= olderThanOrAt).ExecuteDeleteAsync(cancellationToken);
        }
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
