using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Sessions.Bench;

/// <summary>One database, either provider: connections, commands and timestamps as the service stores them.</summary>
public sealed class Store(string provider, string connectionString)
{
    private readonly DbDataSource _source = provider == "postgres"
        ? NpgsqlDataSource.Create(connectionString)
        : SqliteFactory.Instance.CreateDataSource(connectionString);

    public bool IsPostgres { get; } = provider == "postgres";

    public async Task<DbConnection> OpenAsync()
    {
        var connection = await _source.OpenConnectionAsync();
        if (!IsPostgres)
        {
            await using var timeout = Command(connection, "PRAGMA busy_timeout = 5000");
            await timeout.ExecuteNonQueryAsync();
        }

        return connection;
    }

    public DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>SQLite keeps UTC text that sorts correctly; PostgreSQL a timestamp with time zone.</summary>
    public object Timestamp(DateTime utc) =>
        IsPostgres ? utc : utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    public DateTime ReadTimestamp(DbDataReader reader, int ordinal) => IsPostgres
        ? reader.GetFieldValue<DateTime>(ordinal)
        : DateTime.SpecifyKind(DateTime.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture), DateTimeKind.Utc);
}
