using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Application.Access;
using Sessions.Domain.Access;

namespace Sessions.Infrastructure.Persistence.Configurations;

internal sealed class StreamTicketConfiguration : IEntityTypeConfiguration<StreamTicket>
{
    public void Configure(EntityTypeBuilder<StreamTicket> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Hash).HasMaxLength(SHA256.HashSizeInBytes);
        builder.Property(t => t.KeyPrefix).HasMaxLength(ApiKeySecret.PrefixLength);
        builder.Property(t => t.Resource).HasMaxLength(StreamTicket.MaxResourceLength);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.HasIndex(t => t.ExpiresAt);
        builder.Ignore(t => t.DomainEvents);
    }
}
