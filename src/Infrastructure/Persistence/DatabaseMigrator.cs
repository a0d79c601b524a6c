using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace Sessions.Infrastructure.Persistence;

/// <summary>
/// Applies the configured provider's generated migrations (used by the <c>migrate</c> verb and at
/// startup), tells readiness whether they are applied, and prints them as SQL for review.
/// </summary>
public sealed class DatabaseMigrator(DatabaseOptions options, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Brings the schema up to date and returns the names of the migrations it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        options.EnsureStorageExists();
        await using var db = options.CreateMigrationsContext();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);

        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging lets readers run while one writer commits; it is a property of the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        if (pending.Count > 0)
        {
            logger.LogInformation("Applied {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        }

        return pending;
    }

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        await using var db = options.CreateMigrationsContext();

        // Open first: an unreachable server fails here within the connection string's own timeout.
        await db.Database.OpenConnectionAsync(cancellationToken);
        return !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any();
    }

    /// <summary>
    /// The SQL that brings an empty or partly migrated database up to date, for a DBA to review and run;
    /// made from the migrations alone, without connecting. Idempotent (each migration guarded by the
    /// history table) on PostgreSQL and SQL Server; SQLite cannot guard statements, so its script is the
    /// whole history from an empty database.
    /// </summary>
    public string GenerateScript()
    {
        using var db = options.CreateMigrationsContext();
        var scriptOptions = options.Provider == DatabaseProvider.Sqlite
            ? MigrationsSqlGenerationOptions.Default
            : MigrationsSqlGenerationOptions.Idempotent;
        return db.GetService<IMigrator>().GenerateScript(options: scriptOptions);
    }
}
