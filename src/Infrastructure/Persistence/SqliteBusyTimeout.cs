using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Sessions.Infrastructure.Persistence;

/// <summary>
/// Lets SQLite itself wait for its single write lock, in steps of a millisecond or so. Without it,
/// Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms, so a few writers at once
/// turn into a tail of long waits. The timeout is set on the native handle directly: a
/// <c>PRAGMA busy_timeout</c> statement would be prepared and run on every open, which is every request.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const int Milliseconds = 5000;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, Milliseconds);
        }
    }
}
