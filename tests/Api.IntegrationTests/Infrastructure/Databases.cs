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
        Add(Sqlite);
        if (PostgresServer is not null)
        {
            Add(Postgres);
        }
    }

    public static string? PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;
}
