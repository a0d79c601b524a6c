using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.Access;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Infrastructure.Persistence.Configurations;

internal sealed class ConnectorSessionConfiguration : IEntityTypeConfiguration<ConnectorSession>
{
    public void Configure(EntityTypeBuilder<ConnectorSession> builder)
    {
        // Keyed by owner first: two users may pick the same UUID without learning of each other.
        builder.HasKey(s => new { s.OwnerUserId, s.Id });
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Data).IsJsonKeptAsSent();
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => new { s.OwnerUserId, s.CreatedAt });
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.OwnerUserId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(s => s.DomainEvents);
    }
}
