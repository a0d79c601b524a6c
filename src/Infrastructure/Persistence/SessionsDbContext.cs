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
using Sessions.Infrastructure.WizardRuns;

namespace Sessions.Infrastructure.Persistence;

/// <summary>
/// The one model of every provider. Provider-specific choices are made here and in
/// <see cref="DatabaseOptions"/> only (never in migration files, which <c>dotnet ef</c> generates from
/// this model), each checked by <c>Persistence/ProviderModelTests</c>.
/// </summary>
public class SessionsDbContext(DbContextOptions<SessionsDbContext> options) : DbContext(options)
{
    /// <summary>
    /// Marks a string property that holds JSON: <c>json</c> on PostgreSQL (the text kept as sent, never <c>jsonb</c>,
    /// which rewrites numbers), TEXT on SQLite, nvarchar(max) on SQL Server.
    /// </summary>
    internal const string JsonAnnotation = "Sessions:Json";

    /// <summary>
    /// SQL Server compares text case- and accent-insensitively by default; a binary collation makes every
    /// text column compare exactly (code point by code point), as SQLite and PostgreSQL do.
    /// </summary>
    public const string SqlServerCollation = "Latin1_General_100_BIN2";

    /// <summary>datetimeoffset(7) keeps the 100 ns ticks of a .NET timestamp.</summary>
    public const int SqlServerTimestampPrecision = 7;

    public DbSet<User> Users => Set<User>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<StreamTicket> StreamTickets => Set<StreamTicket>();
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
    internal DbSet<WizardRunChange> WizardRunChanges => Set<WizardRunChange>();

    private bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";
    private bool IsSqlServer => Database.ProviderName == "Microsoft.EntityFrameworkCore.SqlServer";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type; UTC DateTime text sorts and compares correctly, DateTimeOffset text does not.
        if (IsSqlite)
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeConverter>();
        }

        if (IsSqlServer)
        {
            configurationBuilder.Properties<DateTimeOffset>().HavePrecision(SqlServerTimestampPrecision);
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
                if (!IsSqlite && !IsSqlServer && property.FindAnnotation(JsonAnnotation) is not null)
                {
                    property.SetColumnType("json");
                }

                // Every column stored as text, enums and JSON included.
                var storedAs = property.GetProviderClrType() ?? property.GetValueConverter()?.ProviderClrType ?? property.ClrType;
                if (IsSqlServer && storedAs == typeof(string))
                {
                    property.SetCollation(SqlServerCollation);
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
        property.HasAnnotation(SessionsDbContext.JsonAnnotation, true);
}
