namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The databases every API test runs on: SQLite always, PostgreSQL when <c>SESSIONS_TEST_POSTGRES</c>
/// names a server, SQL Server when <c>SESSIONS_TEST_SQLSERVER</c> does (then an unreachable server
/// fails the tests; it never skips them).
/// </summary>
public sealed class Databases : TheoryData<string>
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string SqlServer = "sqlserver";
    public const string PostgresVariable = "SESSIONS_TEST_POSTGRES";
    public const string SqlServerVariable = "SESSIONS_TEST_SQLSERVER";

    public Databases()
    {
        foreach (var database in All)
        {
            Add(database);
        }
    }

    public static IReadOnlyList<string> All =>
        [Sqlite, .. PostgresServer is null ? [] : new[] { Postgres }, .. SqlServerServer is null ? [] : new[] { SqlServer }];

    public static string? PostgresServer => Variable(PostgresVariable);

    /// <summary>A SqlClient connection string to a server the tests may create and drop databases on.</summary>
    public static string? SqlServerServer => Variable(SqlServerVariable);

    /// <summary>
    /// Every scenario on every database: the rows of a theory whose first parameter is the database,
    /// so no scenario runs on SQLite alone.
    /// </summary>
    public static IEnumerable<object?[]> Crossed(IEnumerable<object?[]> scenarios)
    {
        var all = scenarios.ToList();
        return All.SelectMany(database => all.Select(scenario => (object?[])[database, .. scenario]));
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
