using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// Concurrent writers on one aggregate: every acknowledged change is kept, and a writer that loses a
/// race it asked to be told about (If-Match) gets 412, never a silent overwrite. (ConnectorSessions,
/// WizardSessions and WizardRuns have theirs beside their other tests.)
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RaceTests(ApiHosts hosts)
{
    private const int Writers = 12;

    [Theory, ClassData(typeof(Databases))]
    public async Task ConcurrentCalculations_AreAllLogged_InOneUnbrokenSequence(string database)
    {
        var (user, organisation) = await CalculatorUserAsync(database);
        var id = await OpenCalculatorAsync(user, organisation, idempotencyKey: null);

        var responses = await Task.WhenAll(Enumerable.Range(1, Writers).Select(i => user.Client.PutAsync(
            $"/api/v1/benefit-calculator-sessions/{id}",
            Json($$$"""{"event":"CalculateRequested","payload":{"sessions":{{{i}}},"avg_minutes":30,"cost_per_session":1,"cost_per_hour":10}}"""))));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        var acknowledged = new List<string>();
        foreach (var response in responses)
        {
            acknowledged.Add((await response.ShouldBeJsonAsync(HttpStatusCode.OK))["result_id"]!.GetValue<string>());
        }

        var log = (await (await user.Client.GetAsync($"/api/v1/benefit-calculator-sessions/{id}/events")).ShouldBeJsonAsync(HttpStatusCode.OK))
            ["data"]!.AsArray();
        log.Select(e => e!["sequence"]!.GetValue<int>()).Should().Equal(Enumerable.Range(1, Writers));
        log.Select(e => e!["result_id"]!.GetValue<string>()).Should().BeEquivalentTo(acknowledged, "every acknowledged calculation is in the log once");
        foreach (var resultId in acknowledged)
        {
            (await user.Client.GetAsync($"/api/v1/benefit-calculator-results/{resultId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ConcurrentIdempotentOpens_WithOneKey_OpenOneCalculatorSession(string database)
    {
        var (user, organisation) = await CalculatorUserAsync(database);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => user.Client.SendAsync(
            OpenCalculatorRequest(organisation, key))));

        responses.Select(r => (int)r.StatusCode).Should().OnlyContain(status => status == 201 || status == 409);
        var ids = new HashSet<string>();
        foreach (var created in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            ids.Add((await created.ShouldBeJsonAsync(HttpStatusCode.Created))["session_id"]!.GetValue<string>());
        }

        ids.Should().ContainSingle("every 201 is the first response, replayed");
        var list = await (await user.Client.GetAsync($"/api/v1/benefit-calculator-sessions?organisation_id={organisation}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["pagination"]!["total"]!.GetValue<int>().Should().Be(1);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ConcurrentOnboardingMoves_WithOneIfMatch_OneWins_TheRestAre412(string database)
    {
        var host = await hosts.For(database);
        var tenant = Random.Shared.Next(3_000_000, 4_000_000);
        var user = await host.CreateUserAsync(tenants: [tenant]);
        var created = await user.Client.PostAsync($"/tenants/{tenant}/onboarding/session", null);
        var id = (await created.ShouldBeJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
        var etag = created.Headers.ETag!.Tag;

        var responses = await Task.WhenAll(Enumerable.Range(1, Writers).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, $"/tenants/{tenant}/onboarding/session/{id}")
            {
                Content = Json($$$"""{"current_step":{{{i % 5 + 1}}}}"""),
            };
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            return user.Client.SendAsync(request);
        }));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed).Should().Be(Writers - 1);
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ShouldBeJsonAsync(HttpStatusCode.OK);
        var stored = await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        stored["session"]!["current_step"]!.GetValue<int>().Should().Be(winner["current_step"]!.GetValue<int>());
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ConcurrentOnboardingMoves_WithoutIfMatch_AreEachApplied(string database)
    {
        var host = await hosts.For(database);
        var tenant = Random.Shared.Next(4_000_000, 5_000_000);
        var user = await host.CreateUserAsync(tenants: [tenant]);
        var created = await user.Client.PostAsync($"/tenants/{tenant}/onboarding/session", null);
        var id = (await created.ShouldBeJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();
        var firstVersion = long.Parse(created.Headers.ETag!.Tag.Trim('"'));

        var responses = await Task.WhenAll(Enumerable.Range(1, Writers).Select(i =>
            user.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}", Json($$$"""{"current_step":{{{i % 5 + 1}}}}"""))));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        var versions = responses.Select(r => long.Parse(r.Headers.ETag!.Tag.Trim('"'))).ToList();
        versions.Should().OnlyHaveUniqueItems("each acknowledged move made its own version")
            .And.BeEquivalentTo(Enumerable.Range(1, Writers).Select(i => firstVersion + i));
    }

    private async Task<(TestUser User, string Organisation)> CalculatorUserAsync(string database)
    {
        var host = await hosts.For(database);
        var organisation = $"org_{Guid.NewGuid():N}";
        return (await host.CreateUserAsync(organisations: [organisation]), organisation);
    }

    private static HttpRequestMessage OpenCalculatorRequest(string organisation, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/benefit-calculator-sessions")
        {
            Content = Json($$"""{"mentor_id":"m","organisation_id":"{{organisation}}"}"""),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static async Task<string> OpenCalculatorAsync(TestUser user, string organisation, string? idempotencyKey) =>
        (await (await user.Client.SendAsync(OpenCalculatorRequest(organisation, idempotencyKey))).ShouldBeJsonAsync(HttpStatusCode.Created))
            ["session_id"]!.GetValue<string>();
}
