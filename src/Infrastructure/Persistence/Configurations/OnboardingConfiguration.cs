using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.Onboarding;

namespace Sessions.Infrastructure.Persistence.Configurations;

internal sealed class ProviderConnectionConfiguration : IEntityTypeConfiguration<ProviderConnection>
{
    public void Configure(EntityTypeBuilder<ProviderConnection> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.DisplayName).HasMaxLength(ProviderConnection.MaxTextLength);
        builder.Property(c => c.BaseUrl).HasMaxLength(2048);
        builder.Property(c => c.AuthMode).HasMaxLength(32);
        builder.Property(c => c.ClientId).HasMaxLength(ProviderConnection.MaxTextLength);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => c.TenantId);
        builder.Ignore(c => c.DomainEvents);
    }
}

internal sealed class OnboardingSessionConfiguration : IEntityTypeConfiguration<OnboardingSession>
{
    public void Configure(EntityTypeBuilder<OnboardingSession> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Version).IsConcurrencyToken();

        // At most one active onboarding per tenant, enforced by the store so racing starts resume one session.
        builder.HasIndex(s => s.TenantId).IsUnique().HasFilter("status IN ('Draft', 'InProgress')")
            .HasDatabaseName("IX_onboarding_sessions_active_tenant");
        builder.HasOne<ProviderConnection>().WithMany().HasForeignKey(s => s.ProviderConnectionId).OnDelete(DeleteBehavior.Restrict)
            .HasConstraintName("FK_onboarding_sessions_provider_connection");
        builder.Ignore(s => s.DomainEvents);
    }
}

internal sealed class OperationRunConfiguration : IEntityTypeConfiguration<OperationRun>
{
    public void Configure(EntityTypeBuilder<OperationRun> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.TaskType).HasMaxLength(128);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.LeaseOwner).HasMaxLength(128);
        builder.Property(r => r.Result).IsJson();
        builder.Property(r => r.Version).IsConcurrencyToken();

        // One active run per (tenant, task); the worker's queue order.
        builder.HasIndex(r => new { r.TenantId, r.TaskType }).IsUnique().HasFilter("status IN ('Queued', 'Running')")
            .HasDatabaseName("IX_operation_runs_active_task");
        builder.HasIndex(r => new { r.Status, r.Id });
        builder.Ignore(r => r.DomainEvents);
    }
}

internal sealed class OnboardingEvidenceConfiguration : IEntityTypeConfiguration<OnboardingEvidence>
{
    public void Configure(EntityTypeBuilder<OnboardingEvidence> builder)
    {
        builder.ToTable("onboarding_evidence");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.TaskType).HasMaxLength(128);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.ReasonCode).HasMaxLength(64);
        builder.Property(e => e.Message).HasMaxLength(1000);
        builder.Property(e => e.Payload).IsJson();
        builder.Property(e => e.Version).IsConcurrencyToken();

        // Exactly one evidence row per run, whatever happens to the workers.
        builder.HasIndex(e => e.OperationRunId).IsUnique();
        builder.HasIndex(e => new { e.TenantId, e.TaskType, e.RecordedAt });
        builder.HasOne<OperationRun>().WithMany().HasForeignKey(e => e.OperationRunId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(e => e.DomainEvents);
    }
}
