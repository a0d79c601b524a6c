using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>A fresh, empty database of one provider, removed when disposed.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<Task> _drop;

    private TestDatabase(string provider, string connectionString, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
    }

    public string Provider { get; }
    public string ConnectionString { get; }

    /// <summary>A fresh database; on PostgreSQL on <paramref name="postgresServer"/>, by default the tests' server.</summary>
    public static async Task<TestDatabase> CreateAsync(string provider, string? postgresServer = null)
    {
        if (provider == Databases.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"sessions-test-{Guid.NewGuid():N}.db");
            return new TestDatabase(provider, $"Data Source={file}", () =>
            {
                SqliteConnection.ClearAllPools();
                foreach (var path in new[] { file, file + "-wal", file + "-shm" })
                {
                    File.Delete(path);
                }

                return Task.CompletedTask;
            });
        }

        if (provider == Databases.SqlServer)
        {
            return await CreateOnSqlServerAsync();
        }

        var server = postgresServer ?? Databases.PostgresServer
                     ?? throw new InvalidOperationException($"{Databases.PostgresVariable} is not set.");
        var name = $"sessions_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestDatabase(provider, connectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }

    /// <summary>A database that cannot be reached (nothing to drop): for start-up and outage tests.</summary>
    public static TestDatabase Unreachable(string provider, string connectionString) =>
        new(provider, connectionString, () => Task.CompletedTask);

    /// <summary>A fresh database on the server <c>SESSIONS_TEST_SQLSERVER</c> names (its default collation is left as it is: the model sets its own).</summary>
    private static async Task<TestDatabase> CreateOnSqlServerAsync()
    {
        var server = Databases.SqlServerServer ?? throw new InvalidOperationException($"{Databases.SqlServerVariable} is not set.");
        var name = $"sessions_test_{Guid.NewGuid():N}";
        var master = new SqlConnectionStringBuilder(server) { InitialCatalog = "master" }.ConnectionString;
        await using (var admin = new SqlConnection(master))
        {
            await admin.OpenAsync();
            await using var create = new SqlCommand($"CREATE DATABASE [{name}]", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new SqlConnectionStringBuilder(server) { InitialCatalog = name }.ConnectionString;
        return new TestDatabase(Databases.SqlServer, connectionString, async () =>
        {
            SqlConnection.ClearAllPools();
            await using var admin = new SqlConnection(master);
            await admin.OpenAsync();
            await using var drop = new SqlCommand(
                $"IF DB_ID('{name}') IS NOT NULL BEGIN ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]; END", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }

    /// <summary>Removes the database while a service may still use it, as an operator's mistake or a lost volume would.</summary>
    public Task RemoveAsync() => _drop();

    public ValueTask DisposeAsync() => new(_drop());
}
