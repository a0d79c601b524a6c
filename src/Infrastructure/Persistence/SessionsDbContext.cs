using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Sessions.Domain.Access;
using Sessions.Domain.CalculatorSessions;
using Sessions.Domain.ConnectorSessions;
using Sessions.Domain.Onboarding;
using Sessions.Domain.WizardRuns;
using Sessions.Domain.WizardSessions;
using Sessions.Infrastructure.Idempotency;

namespace Sessions.Infrastructure.Persistence;

public sealed class SessionsDbContext(DbContextOptions<SessionsDbContext> options) : DbContext(options)
{
    /// <summary>
    /// Marks a string property that holds JSON: TEXT on SQLite; on PostgreSQL <c>jsonb</c>, or <c>json</c>
    /// when the text must be kept as sent (the annotation's value is the column type).
    /// </summary>
    internal const string JsonAnnotation = "Sessions:Json";

    public DbSet<User> Users => Set<User>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ConnectorSession> ConnectorSessions => Set<ConnectorSession>();
    public DbSet<WizardSession> WizardSessions => Set<WizardSession>();
    public DbSet<CalculatorSession> CalculatorSessions => Set<CalculatorSession>();
    public DbSet<WizardRun> WizardRuns => Set<WizardRun>();
    public DbSet<ProviderConnection> ProviderConnections => Set<ProviderConnection>();
    public DbSet<OnboardingSession> OnboardingSessions => Set<OnboardingSession>();
    public DbSet<OperationRun> OperationRuns => Set<OperationRun>();
    public DbSet<OnboardingEvidence> OnboardingEvidence => Set<OnboardingEvidence>();
    public DbSet<CalculationResult> CalculationResults => Set<CalculationResult>();
    public DbSet<CalculatorEventRecord> CalculatorEvents => Set<CalculatorEventRecord>();
    internal DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    private bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type; UTC DateTime text sorts and compares correctly, DateTimeOffset text does not.
        if (IsSqlite)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SessionsDbContext).Assembly);

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            entity.SetTableName(JsonNamingPolicy.SnakeCaseLower.ConvertName(entity.GetTableName()!));
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
                if (!IsSqlite && property.FindAnnotation(JsonAnnotation)?.Value is string columnType)
                {
                    property.SetColumnType(columnType);
                }
            }
        }
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTimeOffset, DateTime>(
        value => value.UtcDateTime,
        stored => new DateTimeOffset(DateTime.SpecifyKind(stored, DateTimeKind.Utc)));
}

internal static class JsonPropertyExtensions
{
    /// <summary>Compares lists stored as JSON by their elements, so EF Core sees a changed list as changed.</summary>
    public static ValueComparer<IReadOnlyList<T>> ListComparer<T>() => new(
        (left, right) => left!.SequenceEqual(right!),
        list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        list => list.ToArray());

    public static PropertyBuilder<TProperty> IsJson<TProperty>(this PropertyBuilder<TProperty> property) =>
        property.HasAnnotation(SessionsDbContext.JsonAnnotation, "jsonb");

    /// <summary>
    /// JSON a client owns, to be returned exactly as sent: PostgreSQL's <c>json</c> keeps the text (and
    /// checks it is JSON), where <c>jsonb</c> rewrites numbers (<c>-0.0</c> as <c>0.0</c>, <c>1.5e300</c>
    /// as 301 digits) and reorders keys.
    /// </summary>
    public static PropertyBuilder<TProperty> IsJsonKeptAsSent<TProperty>(this PropertyBuilder<TProperty> property) =>
        property.HasAnnotation(SessionsDbContext.JsonAnnotation, "json");
}
