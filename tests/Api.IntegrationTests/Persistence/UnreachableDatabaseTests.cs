using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Persistence;

/// <summary>
/// The built service, configured for SQL Server at an address where nothing listens: it still starts,
/// says it is alive but not ready, answers API calls with 503 problem details in bounded time, and its
/// <c>migrate --script</c> verb prints the SQL Server script without contacting any server.
/// </summary>
public sealed class UnreachableDatabaseTests
{
    /// <summary>SqlClient's own limit for opening a connection, set in the connection string.</summary>
    private const int ConnectTimeoutSeconds = 3;

    [Fact]
    public async Task OnSqlServer_TheServiceStartsWithTheDatabaseDown_LiveIs200_ReadyIs503_AndTheApiAnswers503()
    {
        await using var service = await ServiceProcess.StartAsync(UnreachableSqlServer());
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var bound = TimeSpan.FromSeconds(ConnectTimeoutSeconds * 3);

        (await http.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);

        var timer = Stopwatch.StartNew();
        (await http.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        timer.Elapsed.Should().BeLessThan(bound);

        timer.Restart();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/session");
        request.Headers.Authorization = new("Bearer", "ses_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var response = await http.SendAsync(request);
        timer.Elapsed.Should().BeLessThan(bound, "no request waits past the connection string's timeouts");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        response.Headers.RetryAfter.Should().NotBeNull();
        (await response.Content.ReadAsStringAsync()).Should().Contain("database_unavailable");
        service.ErrorLines.Where(line => !line.Contains("HealthChecks", StringComparison.Ordinal)).Should().BeEmpty(
            "an outage is logged as a warning (only a health check may report itself unhealthy at error level)");
    }

    [Fact]
    public async Task OnSqlServer_MigrateScript_PrintsTheIdempotentScript_WithoutAServer()
    {
        var result = await ServiceProcess.RunVerbAsync(UnreachableSqlServer(), "migrate", "--script");

        result.ExitCode.Should().Be(0, result.Error);
        foreach (var table in new[]
                 {
                     "connector_sessions", "wizard_sessions", "wizard_runs", "calculator_sessions", "calculation_results",
                     "onboarding_sessions", "operation_runs", "onboarding_evidence", "users", "api_keys", "idempotency_records",
                 })
        {
            result.Output.Should().Contain($"CREATE TABLE [{table}]");
        }

        result.Output.Should().Contain("IF NOT EXISTS").And.Contain("COLLATE Latin1_General_100_BIN2").And.Contain("datetimeoffset(7)");
    }

    private static TestDatabase UnreachableSqlServer() => TestDatabase.Unreachable(Databases.SqlServer,
        $"Server=tcp:127.0.0.1,{ClosedPort()};Database=sessions;User ID=sa;Password=unused-Passw0rd;TrustServerCertificate=True;Connect Timeout={ConnectTimeoutSeconds}");

    /// <summary>A loopback port that was free a moment ago and has no listener.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
