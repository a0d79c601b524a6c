using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.Access;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.Idempotency;

/// <summary>One claimed Idempotency-Key: in flight until <see cref="ResponseStatus"/> is set.</summary>
internal sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 255;
    public const int DigestLength = 64;

    public long UserId { get; set; }

    /// <summary>The digest of the claiming API key's scopes and grants: keys with other grants have keys of their own.</summary>
    public string Grants { get; set; } = null!;

    public string Key { get; set; } = null!;

    /// <summary>SHA-256 (hex) of method, path and body: the same key must come with the same request.</summary>
    public string Fingerprint { get; set; } = null!;

    public int? ResponseStatus { get; set; }
    public string? ResponseContentType { get; set; }

    /// <summary>Null for a claim in flight, and for a completed response whose body was too large to keep.</summary>
    public byte[]? ResponseBody { get; set; }

    public string? ResponseHeaders { get; set; }

    /// <summary>What this record holds (see <see cref="Size"/>), counted against the user's budget.</summary>
    public int StoredBytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An in-flight claim older than this belonged to a request that died; the key may be claimed again.</summary>
    public DateTimeOffset ClaimExpiresAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The bytes of body, headers, key and digests this record holds (text counted a byte a character).</summary>
    public int Size() =>
        (ResponseBody?.Length ?? 0) + (ResponseHeaders?.Length ?? 0) + (ResponseContentType?.Length ?? 0)
        + Key.Length + Grants.Length + Fingerprint.Length;
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.HasKey(r => new { r.UserId, r.Grants, r.Key });
        builder.Property(r => r.Grants).HasMaxLength(IdempotencyRecord.DigestLength);
        builder.Property(r => r.Key).HasMaxLength(IdempotencyRecord.MaxKeyLength);
        builder.Property(r => r.Fingerprint).HasMaxLength(IdempotencyRecord.DigestLength);
        builder.Property(r => r.ResponseContentType).HasMaxLength(255);
        builder.Property(r => r.ResponseHeaders).IsJson();
        builder.HasIndex(r => r.ExpiresAt);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
