using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Infrastructure.Persistence.Configurations;

internal sealed class CalculatorSessionConfiguration : IEntityTypeConfiguration<CalculatorSession>
{
    public void Configure(EntityTypeBuilder<CalculatorSession> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(64);
        builder.Property(s => s.MentorId).HasMaxLength(CalculatorSession.MaxIdLength);
        builder.Property(s => s.OrganisationId).HasMaxLength(CalculatorSession.MaxIdLength);
        builder.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.LastEvent).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.ResultId).HasMaxLength(64);
        builder.Property(s => s.ShareToken).HasMaxLength(64);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasIndex(s => new { s.OrganisationId, s.CreatedAt });

        // A share link finds its session by token; a token names one session at most.
        builder.HasIndex(s => s.ShareToken).IsUnique();

        // The log is appended through the session; loading a session for a change does not load its log.
        builder.HasMany(s => s.Events).WithOne().HasForeignKey(e => e.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Events).HasField("_events").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(s => s.DomainEvents);
    }
}

internal sealed class CalculatorEventRecordConfiguration : IEntityTypeConfiguration<CalculatorEventRecord>
{
    public void Configure(EntityTypeBuilder<CalculatorEventRecord> builder)
    {
        builder.HasKey(e => new { e.SessionId, e.Sequence });
        builder.Property(e => e.SessionId).HasMaxLength(64);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.Event).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Payload).IsJson();
        builder.Property(e => e.StateBefore).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.StateAfter).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.ResultId).HasMaxLength(64);
    }
}

internal sealed class CalculationResultConfiguration : IEntityTypeConfiguration<CalculationResult>
{
    public void Configure(EntityTypeBuilder<CalculationResult> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(64);
        builder.Property(r => r.SessionId).HasMaxLength(64);
        builder.Property(r => r.OrganisationId).HasMaxLength(CalculatorSession.MaxIdLength);
        builder.Property(r => r.Inputs).HasConversion(inputs => StoredInputs.Write(inputs), text => StoredInputs.Read(text)).IsJson();
        builder.Property(r => r.Outputs)
            .HasConversion(
                outputs => JsonSerializer.Serialize(outputs, (JsonSerializerOptions?)null),
                text => JsonSerializer.Deserialize<CalculationOutputs>(text, (JsonSerializerOptions?)null)!)
            .IsJson();
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => r.SessionId);
        builder.HasOne<CalculatorSession>().WithMany().HasForeignKey(r => r.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(r => r.DomainEvents);
    }

    /// <summary>Inputs are rebuilt through their factory, so a stored row obeys the same rules as a new one.</summary>
    private static class StoredInputs
    {
        private sealed record Shape(int Sessions, decimal AvgMinutes, decimal CostPerSession, decimal CostPerHour);

        public static string Write(CalculationInputs inputs) => JsonSerializer.Serialize(
            new Shape(inputs.Sessions, inputs.AvgMinutes, inputs.CostPerSession, inputs.CostPerHour), (JsonSerializerOptions?)null);

        public static CalculationInputs Read(string text)
        {
            var shape = JsonSerializer.Deserialize<Shape>(text, (JsonSerializerOptions?)null)!;
            return CalculationInputs.Create(shape.Sessions, shape.AvgMinutes, shape.CostPerSession, shape.CostPerHour);
        }
    }
}
