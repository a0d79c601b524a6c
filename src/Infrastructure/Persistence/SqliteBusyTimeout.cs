using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Sessions.Infrastructure.Persistence;

/// <summary>
/// Lets SQLite itself wait for its single write lock, in steps of a millisecond or so. Without it,
/// Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms, so a few writers at once
/// turn into a tail of long waits.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
