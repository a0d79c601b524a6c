using System.Collections.Concurrent;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Telemetry;
using Sessions.Domain.Access;

namespace Sessions.Application.Access;

/// <summary>A key that was presented, found, matched and is still usable, and who holds it.</summary>
public sealed record AuthenticatedKey(string Prefix, long UserId, string Handle, string? Name, AccessGrants Grants);

/// <summary>The user a key belongs to, as read with the key (a user's handle and name never change).</summary>
public sealed record KeyOwner(string Handle, string? Name);

/// <summary>Reads keys for authentication without tracking them.</summary>
public interface IApiKeyReader
{
    Task<(ApiKey Key, KeyOwner Owner)?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The keys with these prefixes that exist, by prefix (a missing one was deleted or never was).</summary>
    Task<IReadOnlyDictionary<string, ApiKey>> FindByPrefixesAsync(IReadOnlyCollection<string> prefixes, CancellationToken cancellationToken);

    /// <summary>The stream ticket whose text hashes to <paramref name="hash"/>, or null.</summary>
    Task<StreamTicket?> FindTicketAsync(byte[] hash, CancellationToken cancellationToken);
}

/// <summary><c>Sessions:Api:KeyCache</c>: how long a proven key is trusted without reading it again.</summary>
public sealed record ApiKeyCacheOptions
{
    /// <summary>
    /// A revocation made by this process applies at once; one made elsewhere (the <c>keys revoke</c>
    /// verb, another instance) within this time. Zero reads the key on every request.
    /// </summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Keys read from the store in the last <see cref="ApiKeyCacheOptions.Lifetime"/>, by prefix. Every
/// request still hashes its secret and compares it in constant time with the stored hash, and
/// checks expiry and revocation; only the read is saved. Only proven keys are kept, so the cache
/// is never larger than the key table.
/// </summary>
public sealed class RecentApiKeys(Microsoft.Extensions.Options.IOptions<ApiKeyCacheOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (ApiKey Key, KeyOwner Owner, DateTimeOffset ReadAt)> _keys = new(StringComparer.Ordinal);

    public bool TryGet(string prefix, out (ApiKey Key, KeyOwner Owner) found)
    {
        if (_keys.TryGetValue(prefix, out var entry) && clock.GetUtcNow() - entry.ReadAt < options.Value.Lifetime)
        {
            found = (entry.Key, entry.Owner);
            return true;
        }

        found = default;
        return false;
    }

    public void Remember(ApiKey key, KeyOwner owner, DateTimeOffset readAt)
    {
        if (options.Value.Lifetime > TimeSpan.Zero)
        {
            _keys[key.Prefix] = (key, owner, readAt);
        }
    }

    public void Forget(string prefix) => _keys.TryRemove(prefix, out _);
}

public sealed class ForgetRevokedApiKey(RecentApiKeys recent) : INotificationHandler<DomainEventNotification<ApiKeyRevoked>>
{
    public Task Handle(DomainEventNotification<ApiKeyRevoked> notification, CancellationToken cancellationToken)
    {
        recent.Forget(notification.Event.Prefix);
        return Task.CompletedTask;
    }
}

public sealed class ApiKeyAuthenticator(IApiKeyReader reader, RecentApiKeys recent, TimeProvider clock, SessionsMetrics metrics)
{
    public async Task<AuthenticatedKey?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryReadPrefix(token, out var prefix) || await FindAsync(prefix, cancellationToken) is not var (key, owner))
        {
            return null;
        }

        return key.Accepts(ApiKeySecret.Hash(token), clock.GetUtcNow()) ? Authenticated(key, owner) : null;
    }

    /// <summary>
    /// The key a stream ticket acts for, when the ticket lives, was issued for <paramref name="resource"/>,
    /// and its key is still usable: a revoked or expired key's tickets stop working with it.
    /// </summary>
    public async Task<AuthenticatedKey?> AuthenticateTicketAsync(string ticket, string resource, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!StreamTicket.IsWellFormed(ticket)
            || await reader.FindTicketAsync(StreamTicket.HashOf(ticket), cancellationToken) is not { } stored
            || !stored.Opens(resource, now)
            || await FindAsync(stored.KeyPrefix, cancellationToken) is not var (key, owner))
        {
            return null;
        }

        return key.IsUsableAt(now) ? Authenticated(key, owner) : null;
    }

    private static AuthenticatedKey Authenticated(ApiKey key, KeyOwner owner) => new(key.Prefix, key.UserId, owner.Handle, owner.Name, key.Grants);

    private async Task<(ApiKey Key, KeyOwner Owner)?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        if (recent.TryGet(prefix, out var found))
        {
            metrics.ApiKeyCacheHit();
            return found;
        }

        metrics.ApiKeyCacheMiss();
        var readAt = clock.GetUtcNow();
        if (await reader.FindByPrefixAsync(prefix, cancellationToken) is not { } stored)
        {
            return null;
        }

        recent.Remember(stored.Key, stored.Owner, readAt);
        return stored;
    }
}
