namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>
/// A test about PostgreSQL itself (several instances on one database, LISTEN/NOTIFY). It is skipped,
/// with this reason, only where no server is configured; where SESSIONS_TEST_POSTGRES is set, it runs
/// and an unreachable server fails it.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (Databases.PostgresServer is null)
        {
            Skip = $"needs a PostgreSQL server: set {Databases.PostgresVariable}";
        }
    }
}
