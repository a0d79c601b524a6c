using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Sessions.Infrastructure.Persistence;

/// <summary>What a database failure means for the request that met it, whichever provider raised it.</summary>
public enum DatabaseFailure
{
    /// <summary>A fault of its own: the exception handler answers 500.</summary>
    Other,

    /// <summary>An insert collided with a row another writer committed first: the unit of work retries, a create answers 409.</summary>
    UniqueViolation,

    /// <summary>The database chose this transaction as a deadlock victim or refused it for a conflicting write: retried like a lost race.</summary>
    WriteConflict,

    /// <summary>The server cannot be reached or did not answer in time: 503 <c>database_unavailable</c> with <c>Retry-After</c>.</summary>
    Unavailable,
}

/// <summary>The one place that reads provider error codes; every caller asks in terms of <see cref="DatabaseFailure"/>.</summary>
public static class DatabaseErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>SQL Server error numbers (sys.messages, and SqlClient's own for the network layer).</summary>
    private static class SqlServer
    {
        public static readonly HashSet<int> UniqueViolation =
        [
            2627, // violation of a PRIMARY KEY or UNIQUE constraint
            2601, // duplicate key row in a unique index
        ];

        public static readonly HashSet<int> WriteConflict =
        [
            1205, // chosen as the deadlock victim
            3960, // snapshot isolation update conflict
            1222, // lock request time-out (SET LOCK_TIMEOUT)
        ];

        public static readonly HashSet<int> Unavailable =
        [
            -2, // timeout expired (connect or command)
            -1, // error establishing a connection
            2, 53, 64, 121, 233, // the server was not found, or the network path to it failed
            26, 35, 40, // SqlClient could not locate the server, or caught a network error while connecting
            258, // timeout waiting for the server
            4060, // the database named by the login cannot be opened (yet)
            10053, 10054, 10060, 10061, 11001, // connection aborted, reset, timed out, refused; host unknown
            10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920, // Azure SQL: throttled, failing over or not available right now
        ];
    }

    /// <summary>How SQL Server's error <paramref name="number"/> is treated.</summary>
    public static DatabaseFailure ClassifySqlServer(int number) =>
        SqlServer.UniqueViolation.Contains(number) ? DatabaseFailure.UniqueViolation
        : SqlServer.WriteConflict.Contains(number) ? DatabaseFailure.WriteConflict
        : SqlServer.Unavailable.Contains(number) ? DatabaseFailure.Unavailable
        : DatabaseFailure.Other;

    /// <summary>What <paramref name="exception"/> (or the database exception inside it) means.</summary>
    public static DatabaseFailure Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var failure = current switch
            {
                SqlException sql => ClassifySqlServer(sql),
                PostgresException postgres => postgres.SqlState switch
                {
                    PostgresErrorCodes.UniqueViolation => DatabaseFailure.UniqueViolation,
                    PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure => DatabaseFailure.WriteConflict,
                    _ => postgres.IsTransient ? DatabaseFailure.Unavailable : DatabaseFailure.Other,
                },
                SqliteException { SqliteErrorCode: SqliteConstraint } sqlite =>
                    sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey
                        ? DatabaseFailure.UniqueViolation
                        : DatabaseFailure.Other,

                // Refused, dropped or timed out below the provider, or (Npgsql, SQLite busy) flagged transient by it.
                DbException { IsTransient: true } or System.Net.Sockets.SocketException => DatabaseFailure.Unavailable,

                // SqlClient says "no pooled connection came free in time" with a plain InvalidOperationException.
                InvalidOperationException when IsSqlClientPoolTimeout(current) => DatabaseFailure.Unavailable,

                // The startup migrations are still waiting for the database: a passing state, like a refused connection.
                DatabaseNotMigratedException => DatabaseFailure.Unavailable,
                _ => DatabaseFailure.Other,
            };
            if (failure != DatabaseFailure.Other)
            {
                return failure;
            }
        }

        return DatabaseFailure.Other;
    }

    /// <summary>True when an insert collided with a row another writer committed first.</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => Classify(exception) == DatabaseFailure.UniqueViolation;

    /// <summary>True when the write lost to another one and may simply be run again on fresh state.</summary>
    public static bool IsWriteConflict(Exception exception) => Classify(exception) == DatabaseFailure.WriteConflict;

    /// <summary>True when the database refused or dropped the connection, or did not answer in time.</summary>
    public static bool IsUnavailable(Exception exception) => Classify(exception) == DatabaseFailure.Unavailable;

    /// <summary>
    /// Anything the database itself said while connecting or migrating (unreachable, refused login,
    /// missing database, timeout): worth retrying at startup, since an operator or an orchestrator may
    /// be bringing the database up right now.
    /// </summary>
    public static bool IsDatabaseFailure(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or System.Net.Sockets.SocketException or TimeoutException
                || (current is InvalidOperationException && IsSqlClientPoolTimeout(current)))
            {
                return true;
            }
        }

        return false;
    }

    private static DatabaseFailure ClassifySqlServer(SqlException exception)
    {
        // The first error is the exception's Number; a batch may report several (a deadlock after a warning).
        foreach (SqlError error in exception.Errors)
        {
            if (ClassifySqlServer(error.Number) is var failure and not DatabaseFailure.Other)
            {
                return failure;
            }
        }

        return ClassifySqlServer(exception.Number);
    }

    private static bool IsSqlClientPoolTimeout(Exception exception) =>
        exception.TargetSite?.DeclaringType?.Assembly == typeof(SqlConnection).Assembly
        && exception.Message.Contains("pool", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A request arrived while the startup migrations are still waiting for the database.</summary>
public sealed class DatabaseNotMigratedException() : Exception("The database schema is not migrated yet.");
