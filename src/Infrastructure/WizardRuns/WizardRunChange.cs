using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.WizardRuns;

namespace Sessions.Infrastructure.WizardRuns;

/// <summary>
/// One committed wizard run upsert, announced to every process sharing the database. Rows carry keys
/// only (subscribers read the run themselves) and are kept for <see cref="DatabaseWizardRunFeed.Retention"/>.
/// </summary>
internal sealed class WizardRunChange
{
    public const int MaxOriginLength = 32;

    /// <summary>Increasing: each process reads on from the last id it saw.</summary>
    public long Id { get; set; }

    public int ProjectId { get; set; }
    public string SessionId { get; set; } = null!;
    public string WorkflowId { get; set; } = null!;
    public string SkillId { get; set; } = null!;

    /// <summary>The process that made the upsert; it has told its own streams already.</summary>
    public string Origin { get; set; } = null!;

    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class WizardRunChangeConfiguration : IEntityTypeConfiguration<WizardRunChange>
{
    public void Configure(EntityTypeBuilder<WizardRunChange> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.SessionId).HasMaxLength(WizardRun.MaxIdLength);
        builder.Property(c => c.WorkflowId).HasMaxLength(WizardRun.MaxIdLength);
        builder.Property(c => c.SkillId).HasMaxLength(WizardRun.MaxIdLength);
        builder.Property(c => c.Origin).HasMaxLength(WizardRunChange.MaxOriginLength);
        builder.HasIndex(c => c.RecordedAt);
    }
}
