using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Sessions.Infrastructure.Persistence;

/// <summary>Applies the hand-written migrations; used by the <c>migrate</c> verb and at startup.</summary>
public sealed class DatabaseMigrator(IDbContextFactory<SessionsDbContext> contexts, DatabaseOptions options, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Brings the schema up to date and returns the names of the migrations it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        options.EnsureStorageExists();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
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
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
               && !(await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any();
    }
}
