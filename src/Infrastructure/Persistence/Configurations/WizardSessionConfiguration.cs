using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.Access;
using Sessions.Domain.WizardSessions;

namespace Sessions.Infrastructure.Persistence.Configurations;

internal sealed class WizardSessionConfiguration : IEntityTypeConfiguration<WizardSession>
{
    public void Configure(EntityTypeBuilder<WizardSession> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.Property(s => s.WizardId).HasMaxLength(255);
        builder.Property(s => s.UserHandle).HasMaxLength(User.MaxHandleLength);
        builder.Property(s => s.Locale).HasMaxLength(35);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.CurrentScreenId).HasMaxLength(255);
        builder.Property(s => s.VisitedScreens)
            .HasConversion(path => JsonSerializer.Serialize(path, (JsonSerializerOptions?)null),
                text => JsonSerializer.Deserialize<string[]>(text, (JsonSerializerOptions?)null)!,
                JsonPropertyExtensions.ListComparer<string>())
            .IsJson();
        builder.Property(s => s.Answers).HasConversion(answers => answers.ToJson(), text => WizardAnswers.FromJson(text)).IsJson();
        builder.Property(s => s.DraftId).HasMaxLength(64);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => new { s.UserId, s.Status, s.LastActivityAt });
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(s => s.DomainEvents);
    }
}
