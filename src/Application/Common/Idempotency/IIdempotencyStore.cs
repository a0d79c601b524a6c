namespace Sessions.Application.Common.Idempotency;

/// <summary>
/// Remembers the first response to each (caller, Idempotency-Key) for a while, so a retried
/// request gets that response again instead of acting twice.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Claims the key for a new request, or says why it cannot run.</summary>
    Task<IdempotencyClaim> ClaimAsync(long userId, string key, string fingerprint, CancellationToken cancellationToken);

    /// <summary>Stores the response of a claimed request.</summary>
    Task CompleteAsync(long userId, string key, StoredResponse response, CancellationToken cancellationToken);

    /// <summary>Releases a claim whose request failed without a response worth replaying.</summary>
    Task ReleaseAsync(long userId, string key, CancellationToken cancellationToken);
}

public sealed record StoredResponse(int StatusCode, string? ContentType, byte[] Body, IReadOnlyDictionary<string, string> Headers);

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
