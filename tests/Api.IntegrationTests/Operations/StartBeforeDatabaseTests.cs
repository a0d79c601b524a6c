using System.Diagnostics;
using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Operations;

/// <summary>
/// The service started before its PostgreSQL server (a common order in containers): it starts, says
/// why it is not ready, refuses requests cleanly, and becomes ready by itself once the server is up.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StartBeforeDatabaseTests
{
    [PostgresFact]
    public async Task ServiceStartedBeforeItsDatabase_IsLiveNotReady_Refuses503_ThenBecomesReadyWithoutARestart()
    {
        await using var server = await ThrowawayPostgres.StartAsync();
        await using var store = await TestDatabase.CreateAsync(Databases.Postgres, server.ConnectionString);
        await server.HaltAsync();

        await using var service = await ServiceProcess.StartAsync(store);
        using var anonymous = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        (await anonymous.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK, "the host runs without its database");
        var ready = await anonymous.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync()).Should().Contain("database cannot be reached", "readiness says why");

        using var caller = service.CreateClient("ses_000000000000_not-a-key-but-the-database-is-down-anyway");
        var refusals = 0;
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => caller.PostAsync("/api/v1/session", Json("""{"data":{}}""")),
                     () => caller.GetAsync("/api/v1/wizard-sessions"),
                 })
        {
            var refused = await request();
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
            problem["code"]!.GetValue<string>().Should().Be("database_unavailable");
            refused.Headers.RetryAfter.Should().NotBeNull();
            refusals++;
        }

        var metrics = await anonymous.GetStringAsync("/metrics");
        Scrape.Value(metrics, "sessions_database_unavailable_total").Should().Be(refusals);
        Scrape.Value(metrics, "sessions_database_ready").Should().Be(0);

        var verb = await ServiceProcess.RunVerbAsync(store, "keys", "list");
        verb.ExitCode.Should().Be(3, verb.Error);
        verb.Error.Trim().Split('\n').Should().ContainSingle("a verb fails fast with one clear line").Which
            .Should().StartWith("The postgres database cannot be reached");

        await WaitForAsync(() => service.Output.Count(line => line.Contains("cannot be reached yet (attempt")) >= 2, TimeSpan.FromSeconds(30));
        await server.ResumeAsync();
        await WaitForAsync(async () => (await anonymous.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));

        var key = await ServiceProcess.CreateKeyAsync(store, "late");
        using var client = service.CreateClient(key);
        (await client.PostAsync("/api/v1/session", Json("""{"data":{}}"""))).StatusCode.Should().Be(HttpStatusCode.Created,
            "the migrations ran once the database answered");

        var attempts = service.Output.Where(line => line.Contains("cannot be reached yet (attempt")).ToList();
        attempts.Should().HaveCountGreaterThanOrEqualTo(2, "the migrations were retried while the server was down");
        service.Output.Should().NotContain(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal),
            "an unreachable database is reported in one line per attempt, without a stack trace");
        service.ErrorLines.Should().BeEmpty();
    }

    private static Task WaitForAsync(Func<bool> condition, TimeSpan within) => WaitForAsync(() => Task.FromResult(condition()), within);

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > within)
            {
                throw new TimeoutException($"not within {within}");
            }

            await Task.Delay(200);
        }
    }
}
