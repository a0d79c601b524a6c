using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sessions.Application.Common.Idempotency;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.Idempotency;

/// <summary>Writes the response of a claimed key into its record, in whatever transaction the context is in.</summary>
internal static class IdempotencyResponses
{
    public static IQueryable<IdempotencyRecord> Find(SessionsDbContext db, IdempotencyOwner owner, string key) =>
        db.IdempotencyRecords.Where(r => r.UserId == owner.UserId && r.Grants == owner.Grants && r.Key == key);

    /// <summary>
    /// Stores the response (its body only up to <see cref="IdempotencyOptions.MaxStoredResponseBytes"/>) and
    /// keeps the user's records within <see cref="IdempotencyOptions.MaxStoredBytesPerUser"/>.
    /// </summary>
    public static async Task StoreAsync(SessionsDbContext db, IdempotencyOwner owner, string key, StoredResponse response,
        IdempotencyOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await Find(db, owner, key).AsTracking().FirstOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            return;
        }

        record.ResponseStatus = response.StatusCode;
        record.ResponseContentType = response.ContentType;
        record.ResponseBody = response.Body is { } body && body.Length <= options.MaxStoredResponseBytes ? body : null;
        record.ResponseHeaders = JsonSerializer.Serialize(response.Headers);
        record.ExpiresAt = now + EfIdempotencyStore.Retention;
        record.StoredBytes = record.Size();
        await db.SaveChangesAsync(cancellationToken);
        await KeepWithinBudgetAsync(db, record, options.MaxStoredBytesPerUser, cancellationToken);
    }

    /// <summary>
    /// Forgets the user's oldest completed records (never the one just stored, nor a claim in flight)
    /// until what the user's records hold is within the budget again.
    /// </summary>
    private static async Task KeepWithinBudgetAsync(SessionsDbContext db, IdempotencyRecord stored, long budget, CancellationToken cancellationToken)
    {
        var userId = stored.UserId;
        var excess = await db.IdempotencyRecords.Where(r => r.UserId == userId).SumAsync(r => (long)r.StoredBytes, cancellationToken)
                     - budget;
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
}
