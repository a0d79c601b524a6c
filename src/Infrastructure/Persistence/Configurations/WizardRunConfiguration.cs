using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.Common;
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
        builder.Property(r => r.PendingInput)
            .HasConversion(pending => StoredPendingInput.Write(pending!), text => StoredPendingInput.Read(text),
                new ValueComparer<PendingInput?>((left, right) => Equals(left, right), pending => pending!.GetHashCode(), pending => pending))
            .IsJson();
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

    /// <summary>
    /// <c>pending_input</c> as stored: the typed fields only. A value stored before it was typed (free-form JSON)
    /// reads as absent unless it has this shape, so nothing unchecked (prompts of a sensitive question) is shown.
    /// </summary>
    private static class StoredPendingInput
    {
        private sealed record Stored(string? Id, DateTimeOffset? AskedAt, int? QuestionCount, bool? Sensitive, string[]? Prompts);

        public static string Write(PendingInput pending) => JsonSerializer.Serialize(
            new Stored(pending.Id, pending.AskedAt, pending.QuestionCount, pending.Sensitive, [.. pending.Prompts]), TaskJson);

        public static PendingInput? Read(string text)
        {
            try
            {
                return JsonSerializer.Deserialize<Stored>(text, TaskJson) is { Id: { } id, QuestionCount: { } count, Sensitive: { } sensitive } stored
                    ? PendingInput.Create(id, stored.AskedAt, count, sensitive, stored.Prompts)
                    : null;
            }
            catch (Exception exception) when (exception is JsonException or RuleViolationException)
            {
                return null;
            }
        }
    }
}
