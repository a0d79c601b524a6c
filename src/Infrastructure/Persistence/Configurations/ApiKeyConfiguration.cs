using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Application.Access;
using Sessions.Domain.Access;

namespace Sessions.Infrastructure.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeySecret.PrefixLength);
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength);
        builder.Property(k => k.Grants).HasConversion(g => GrantsJson.Write(g), text => GrantsJson.Read(text)).IsJson();
        builder.Property(k => k.Version).IsConcurrencyToken();
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.HasOne(k => k.Owner).WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(k => k.DomainEvents);
    }

    /// <summary>Grants are written once and read on every request: one small JSON document.</summary>
    private static class GrantsJson
    {
        private sealed record Stored(
            [property: JsonPropertyName("scopes")] string[] Scopes,
            [property: JsonPropertyName("projects")] int[] Projects,
            [property: JsonPropertyName("tenants")] int[] Tenants,
            [property: JsonPropertyName("organisations")] string[] Organisations);

        public static string Write(AccessGrants grants) => JsonSerializer.Serialize(new Stored(
            [.. grants.Scopes], [.. grants.Projects], [.. grants.Tenants], [.. grants.Organisations]));

        public static AccessGrants Read(string text)
        {
            var stored = JsonSerializer.Deserialize<Stored>(text)!;
            return new AccessGrants(stored.Scopes, stored.Projects, stored.Tenants, stored.Organisations);
        }
    }
}
