namespace Sessions.Application.Common.Idempotency;

/// <summary>
/// Remembers the first response to each (owner, Idempotency-Key) for a while, so a retried
/// request gets that response again instead of acting twice. The store claims keys and answers
/// replays; the response of a claimed request is written by the unit of work, in the transaction of
/// the command's own changes (<see cref="Persistence.IUnitOfWork.CommitWithResponseAsync"/>), so a command
/// is never committed without the response a retry will replay.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Claims the key for a new request, or says why it cannot run.</summary>
    Task<IdempotencyClaim> ClaimAsync(IdempotencyOwner owner, string key, string fingerprint, CancellationToken cancellationToken);

    /// <summary>Releases a claim whose request failed without a response worth replaying.</summary>
    Task ReleaseAsync(IdempotencyOwner owner, string key, CancellationToken cancellationToken);

    /// <summary>Deletes expired records and abandoned claims; returns how many went.</summary>
    Task<int> PurgeExpiredAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The Idempotency-Key the current request claimed, if any (scoped): while it is set, the unit of work
/// keeps the command's changes in an open transaction until the response that reports them is stored with them.
/// </summary>
public sealed class IdempotentRequest
{
    public IdempotencyOwner? Owner { get; private set; }

    public string? Key { get; private set; }

    public void Claimed(IdempotencyOwner owner, string key)
    {
        Owner = owner;
        Key = key;
    }
}

/// <summary>
/// Whose Idempotency-Keys these are: a user's API keys with the same scopes and grants. Such keys
/// may read exactly the same things, so one may replay what another stored; a key with other grants
/// has keys of its own and never replays a response it could not have read directly.
/// </summary>
/// <param name="Grants">A digest of the key's scopes and grants (64 hex digits).</param>
public sealed record IdempotencyOwner(long UserId, string Grants);

/// <param name="Body">Null when the body was larger than the store keeps: the replay then has no body.</param>
public sealed record StoredResponse(int StatusCode, string? ContentType, byte[]? Body, IReadOnlyDictionary<string, string> Headers);

/// <summary><c>Sessions:Api:Idempotency</c>: how much the idempotency store keeps, and how often it is swept.</summary>
public sealed record IdempotencyOptions
{
    /// <summary>A response body larger than this is not stored: its key still deduplicates, and a replay answers without a body.</summary>
    public int MaxStoredResponseBytes { get; init; } = 64 * 1024;

    /// <summary>What one user's records may hold in all (bodies, headers, keys); past it the oldest are forgotten.</summary>
    public long MaxStoredBytesPerUser { get; init; } = 16 * 1024 * 1024;

    /// <summary>How often expired records and abandoned claims are deleted.</summary>
    public TimeSpan PurgeInterval { get; init; } = TimeSpan.FromMinutes(10);
}

public abstract record IdempotencyClaim
{
    private IdempotencyClaim()
    {
    }

    /// <summary>The key is new: run the request, then complete or release it.</summary>
    public sealed record Claimed : IdempotencyClaim;

    /// <summary>The same request already ran: answer with its response.</summary>
    public sealed record Replay(StoredResponse Response) : IdempotencyClaim;

    /// <summary>The key was used for a different request (method, path or body).</summary>
    public sealed record Mismatch : IdempotencyClaim;

    /// <summary>The first request with this key is still running.</summary>
    public sealed record InFlight : IdempotencyClaim;
}
