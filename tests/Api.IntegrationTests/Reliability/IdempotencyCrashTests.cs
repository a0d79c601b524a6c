using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Reliability;

/// <summary>
/// The real service process killed between an idempotent command's commit and its response: the
/// command and the response a retry replays are one transaction, so the retry replays it and the
/// command is applied once.
/// </summary>
public sealed class IdempotencyCrashTests
{
    private const string Base = "/api/v1/wizard-sessions";

    [Theory, ClassData(typeof(Databases))]
    public async Task KilledAfterTheCommit_BeforeTheResponse_ARetryWithTheSameKeyReplays_AndTheStepMovedOnce(string database)
    {
        await using var store = await TestDatabase.CreateAsync(database);
        var key = await ServiceProcess.CreateKeyAsync(store, "crash-once");
        var idempotencyKey = Guid.NewGuid().ToString();
        string sessionId;

        await using (var service = await ServiceProcess.StartAsync(store, new Dictionary<string, string>
                     {
                         ["Sessions__Testing__KillAfterIdempotentCommit"] = "true",
                     }))
        {
            using var client = service.CreateClient(key);
            var started = await (await client.PostAsync(Base, Json("""{"wizard_id":"onboarding-wizard-v3","user_id":"crash-once"}""")))
                .ShouldBeJsonAsync(HttpStatusCode.Created);
            sessionId = started["session_id"]!.GetValue<string>();

            var act = () => client.SendAsync(NextStep(sessionId, idempotencyKey));
            await act.Should().ThrowAsync<HttpRequestException>("the process dies after the commit, before it answers");
            await WaitForExitAsync(service);
        }

        await using var restarted = await ServiceProcess.StartAsync(store);
        using var retrying = restarted.CreateClient(key);
        var retry = await retrying.SendAsync(NextStep(sessionId, idempotencyKey));
        var replayed = await retry.ShouldBeJsonAsync(HttpStatusCode.OK);
        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        replayed["current_step_index"]!.GetValue<int>().Should().Be(1);

        var now = await retrying.GetAsync($"{Base}/{sessionId}");
        (await now.ShouldBeJsonAsync(HttpStatusCode.OK))["current_step_index"]!.GetValue<int>()
            .Should().Be(1, "the step the crashed request took is taken once, not again by its retry");
        now.Headers.ETag!.Tag.Should().Be("\"2\"", "the session changed once after it started");
        retry.Headers.ETag!.Tag.Should().Be("\"2\"");
    }

    private static HttpRequestMessage NextStep(string sessionId, string idempotencyKey) =>
        new(HttpMethod.Post, $"{Base}/{sessionId}/next-step")
        {
            Content = Json("""{"answers":{"screen-01":{"chosen":["opt-b"]}}}"""),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };

    private static async Task WaitForExitAsync(ServiceProcess service)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!service.HasExited)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the fault seam kills the process");
            await Task.Delay(50);
        }
    }
}
