using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.Access;
using Sessions.Domain.WizardRuns;

namespace Sessions.Infrastructure.Persistence.Configurations;

internal sealed class WizardRunConfiguration : IEntityTypeConfiguration<WizardRun>
{
    private static readonly JsonSerializerOptions TaskJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Named explicitly: the generated name is longer than PostgreSQL's 63-character identifiers.</summary>
    public const string WorkflowOrderIndex = "IX_wizard_runs_project_workflow_skill_started_created";

    public void Configure(EntityTypeBuilder<WizardRun> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.SessionId).HasMaxLength(WizardRun.MaxIdLength);
        builder.Property(r => r.WorkflowId).HasMaxLength(WizardRun.MaxIdLength);
        builder.Property(r => r.SkillId).HasMaxLength(WizardRun.MaxIdLength);
        builder.Property(r => r.RunPhase).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Tasks)
            .HasConversion(
                tasks => JsonSerializer.Serialize(tasks, TaskJson),
                text => JsonSerializer.Deserialize<WizardTask[]>(text, TaskJson)!,
                JsonPropertyExtensions.ListComparer<WizardTask>())
            .IsJson();
        builder.Property(r => r.EventPlan).IsJson();
        builder.Property(r => r.Error).IsJson();
        builder.Property(r => r.PendingInput).IsJson();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.Property(r => r.CreatedByHandle).HasMaxLength(User.MaxHandleLength);
        builder.Property(r => r.CreatedByName).HasMaxLength(User.MaxNameLength);
        builder.Ignore(r => r.CreatedBy);

        // Users are never deleted while they own runs: a run's owner is part of what it is.
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.CreatedByUserId).OnDelete(DeleteBehavior.Restrict);

        // One row per (project, session_id): concurrent first pushes collide here instead of duplicating.
        builder.HasIndex(r => new { r.ProjectId, r.SessionId }).IsUnique();

        // The list and "latest" orders, with and without a workflow filter.
        builder.HasIndex(r => new { r.ProjectId, r.WorkflowId, r.SkillId, r.StartedAt, r.CreatedAt }).HasDatabaseName(WorkflowOrderIndex);
        builder.HasIndex(r => new { r.ProjectId, r.StartedAt, r.CreatedAt });
        builder.Ignore(r => r.DomainEvents);
    }
}
