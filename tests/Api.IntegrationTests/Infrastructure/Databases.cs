namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The databases every API test runs on: SQLite always, PostgreSQL when
/// <c>SESSIONS_TEST_POSTGRES</c> names a server (then an unreachable server fails the tests).
/// </summary>
public sealed class Databases : TheoryData<string>
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string PostgresVariable = "SESSIONS_TEST_POSTGRES";

    public Databases()
    {
        foreach (var database in All)
        {
            Add(database);
        }
    }

    public static IReadOnlyList<string> All => PostgresServer is null ? [Sqlite] : [Sqlite, Postgres];

    public static string? PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    /// <summary>
    /// Every scenario on every database: the rows of a theory whose first parameter is the database,
    /// so no scenario runs on SQLite alone.
    /// </summary>
    public static IEnumerable<object?[]> Crossed(IEnumerable<object?[]> scenarios)
    {
        var all = scenarios.ToList();
        return All.SelectMany(database => all.Select(scenario => (object?[])[database, .. scenario]));
    }
}
