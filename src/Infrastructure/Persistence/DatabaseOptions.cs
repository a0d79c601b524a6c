using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Sessions.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the data lives: <c>Sessions:Database:Provider</c> (sqlite | postgres) and
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
            _ => throw new InvalidOperationException(
                $"Sessions:Database:Provider '{providerName}' is not supported; use 'sqlite' or 'postgres'."),
        };
        var connectionString = configuration.GetConnectionString("Sessions");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? DefaultSqliteConnectionString
                : throw new InvalidOperationException("ConnectionStrings:Sessions is required for the postgres provider.");
        }

        return new DatabaseOptions(provider, connectionString, section.GetValue("MigrateOnStartup", true));
    }

    public void Configure(DbContextOptionsBuilder builder)
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            builder.UseNpgsql(ConnectionString);
        }
        else
        {
            builder.UseSqlite(ConnectionString).AddInterceptors(BusyTimeout);
        }

        // Migrations are written by hand and there is no model snapshot; a test compares the
        // migrated schema with the model on every provider instead.
        builder.ConfigureWarnings(w => w
            .Ignore(RelationalEventId.PendingModelChangesWarning)

            // A lost race (duplicate key, stale version) is expected and handled by the unit of work, and
            // any other failure reaches the exception handler, which logs it once: EF need not log them as errors.
            // Likewise a connection that fails: the exception handler, the startup migrations and the CLI
            // each say so in one line, without EF's stack trace beside it.
            .Log((RelationalEventId.CommandError, Microsoft.Extensions.Logging.LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, Microsoft.Extensions.Logging.LogLevel.Debug),
                (RelationalEventId.ConnectionError, Microsoft.Extensions.Logging.LogLevel.Debug)));
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
