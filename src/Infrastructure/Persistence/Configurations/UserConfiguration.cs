using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.Access;

namespace Sessions.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Handle).HasMaxLength(User.MaxHandleLength);
        builder.Property(u => u.Name).HasMaxLength(User.MaxNameLength);
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.HasIndex(u => u.Handle).IsUnique();
        builder.Ignore(u => u.DomainEvents);
    }
}
