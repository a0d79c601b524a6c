using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Sessions.Infrastructure.Persistence;

public static class DatabaseErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>True when an insert collided with a row another writer committed first.</summary>
    internal static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } sqlite =>
            sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// The database refused or dropped the connection, no pooled connection came free in time, or the
    /// schema is not migrated yet: a passing state of the database (the provider says so), not a
    /// fault of the request or of the code.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } or System.Net.Sockets.SocketException or DatabaseNotMigratedException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Anything the database itself said while connecting or migrating (unreachable, refused login,
    /// missing database, timeout): worth retrying at startup, since an operator or an orchestrator may
    /// be bringing the database up right now.
    /// </summary>
    public static bool IsDatabaseFailure(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or System.Net.Sockets.SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A request arrived while the startup migrations are still waiting for the database.</summary>
public sealed class DatabaseNotMigratedException() : Exception("The database schema is not migrated yet.");
