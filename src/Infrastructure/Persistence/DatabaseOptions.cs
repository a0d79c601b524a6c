using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Sessions.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

/// <summary>
/// Where the data lives: <c>Sessions:Database:Provider</c> (sqlite | postgres | sqlserver) and
/// <c>ConnectionStrings:Sessions</c>. Every provider-specific line of the service is below
/// <c>Persistence/</c>, so another provider is one more case here.
/// </summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStartup)
{
    public const string DefaultSqliteConnectionString = "Data Source=data/sessions.db";

    private static readonly SqliteBusyTimeout BusyTimeout = new();

    public static DatabaseOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Sessions:Database");
        var providerName = section["Provider"] ?? "sqlite";
        var provider = providerName.ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            "sqlserver" or "mssql" => DatabaseProvider.SqlServer,
            _ => throw new InvalidOperationException(
                $"Sessions:Database:Provider '{providerName}' is not supported; use 'sqlite', 'postgres' or 'sqlserver'."),
        };
        var connectionString = configuration.GetConnectionString("Sessions");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? DefaultSqliteConnectionString
                : throw new InvalidOperationException($"ConnectionStrings:Sessions is required for the {providerName} provider.");
        }

        return new DatabaseOptions(provider, connectionString, section.GetValue("MigrateOnStartup", true));
    }

    public void Configure(DbContextOptionsBuilder builder)
    {
        switch (Provider)
        {
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(ConnectionString);
                break;
            case DatabaseProvider.SqlServer:
                // No retrying execution strategy: the unit of work retries lost races itself, and an
                // unreachable server is answered with 503 at once rather than after a minute of retries.
                builder.UseSqlServer(ConnectionString);
                break;
            default:
                builder.UseSqlite(ConnectionString).AddInterceptors(BusyTimeout);
                break;
        }

        builder.ConfigureWarnings(w => w
            // A lost race (duplicate key, stale version) is expected and handled by the unit of work, and
            // any other failure reaches the exception handler, which logs it once: EF need not log them as errors.
            // Likewise a connection that fails: the exception handler, the startup migrations and the CLI
            // each say so in one line, without EF's stack trace beside it.
            .Log((RelationalEventId.CommandError, Microsoft.Extensions.Logging.LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, Microsoft.Extensions.Logging.LogLevel.Debug),
                (RelationalEventId.ConnectionError, Microsoft.Extensions.Logging.LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, Microsoft.Extensions.Logging.LogLevel.Debug)));
    }

    /// <summary>
    /// A context whose type owns this provider's migrations and model snapshot (see
    /// <see cref="SqliteSessionsDbContext"/>): the migrator, the readiness check and <c>migrate --script</c> use it.
    /// </summary>
    public SessionsDbContext CreateMigrationsContext()
    {
        var builder = new DbContextOptionsBuilder<SessionsDbContext>();
        Configure(builder);
        return Provider switch
        {
            DatabaseProvider.Postgres => new PostgresSessionsDbContext(builder.Options),
            DatabaseProvider.SqlServer => new SqlServerSessionsDbContext(builder.Options),
            _ => new SqliteSessionsDbContext(builder.Options),
        };
    }

    /// <summary>SQLite does not create folders: make the one the database file lives in.</summary>
    public void EnsureStorageExists()
    {
        if (Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        var file = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder) && file != ":memory:")
        {
            Directory.CreateDirectory(folder);
        }
    }
}
