using System.Security.Cryptography;
using Sessions.Domain.Common;

namespace Sessions.Domain.Access;

/// <summary>
/// A bearer credential. Only the SHA-256 hash of the secret is kept; the short public
/// <see cref="Prefix"/> finds the row, and the hash is compared in constant time.
/// </summary>
public sealed class ApiKey : AggregateRoot
{
    public const int MaxNameLength = 200;

    private ApiKey()
    {
        Prefix = null!;
        SecretHash = null!;
        Grants = null!;
    }

    public long Id { get; private set; }
    public string Prefix { get; private set; }
    public byte[] SecretHash { get; private set; }
    public long UserId { get; private set; }

    /// <summary>The owner, set when the key is issued so that a user registered in the same unit gets its id first.</summary>
    public User? Owner { get; private set; }

    public string? Name { get; private set; }
    public AccessGrants Grants { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static ApiKey Issue(
        User owner, string prefix, byte[] secretHash, AccessGrants grants, string? name,
        DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        if (secretHash.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("The secret hash must be a SHA-256 digest.", nameof(secretHash));
        }

        if (name is { Length: > MaxNameLength })
        {
            throw new RuleViolationException("name", "name_too_long", $"A key name is at most {MaxNameLength} characters.");
        }

        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new RuleViolationException("expires_in_days", "expiry_in_past", "A key must expire in the future.");
        }

        var key = new ApiKey
        {
            Prefix = prefix,
            SecretHash = secretHash,
            UserId = owner.Id,
            Owner = owner,
            Name = name,
            Grants = grants,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        key.Changed();
        return key;
    }

    /// <summary>True when the presented secret hashes to this key and the key is still usable.</summary>
    public bool Accepts(ReadOnlySpan<byte> presentedSecretHash, DateTimeOffset now) =>
        CryptographicOperations.FixedTimeEquals(presentedSecretHash, SecretHash) && IsUsableAt(now);

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            throw new InvalidTransitionException("key_already_revoked", $"Key {Prefix} is already revoked.");
        }

        RevokedAt = now;
        Changed();
        Raise(new ApiKeyRevoked(Prefix));
    }
}

/// <summary>A key stopped being usable; raised so that anything holding it forgets it once the revocation is committed.</summary>
public sealed record ApiKeyRevoked(string Prefix) : IDomainEvent;
