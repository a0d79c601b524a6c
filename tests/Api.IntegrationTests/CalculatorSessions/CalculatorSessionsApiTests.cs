using System.Net;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Domain.Access;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.CalculatorSessions;

[Collection(ApiCollection.Name)]
public sealed class CalculatorSessionsApiTests(ApiHosts hosts)
{
    private const string Base = "/api/v1/benefit-calculator-sessions";
    private const string SeedPayload = """{"sessions":25,"avg_minutes":30,"cost_per_session":3.5,"cost_per_hour":30}""";

    [Theory, ClassData(typeof(Databases))]
    public async Task Open_ReturnsTheSeedShapeInStateInitial(string database)
    {
        var user = await UserAsync(database, "org_42");

        var response = await user.Client.PostAsync(Base, Json("""{"mentor_id":"mentor_001","organisation_id":"org_42"}"""));

        var session = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        session["session_id"]!.GetValue<string>().Should().MatchRegex("^session_[0-9a-f]{16}$");
        session["mentor_id"]!.GetValue<string>().Should().Be("mentor_001");
        session["state"]!.GetValue<string>().Should().Be("initial");
        session["last_event"].Should().BeNull();
        session["result_id"].Should().BeNull();
        session["created_at"]!.GetValue<string>().Should().Be(session["updated_at"]!.GetValue<string>());
        response.Headers.Location!.AbsolutePath.Should().Be($"{Base}/{session["session_id"]}");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task EventLog_IsServedAPageAtATime_WithTheTrueTotal(string database)
    {
        var user = await UserAsync(database, "org_42");
        var id = await OpenAsync(user, "org_42");
        for (var i = 0; i < 5; i++)
        {
            await DispatchAsync(user, id, "ResetRequested", null);
        }

        var page = await (await user.Client.GetAsync($"{Base}/{id}/events?page=2&limit=2")).ShouldBeJsonAsync(HttpStatusCode.OK);
        page["data"]!.AsArray().Select(e => e!["sequence"]!.GetValue<int>()).Should().Equal(3, 4);
        page["pagination"]!.ToJsonString().Should().Be("""{"page":2,"limit":2,"total":5}""");

        var whole = await (await user.Client.GetAsync($"{Base}/{id}/events")).ShouldBeJsonAsync(HttpStatusCode.OK);
        whole["data"]!.AsArray().Should().HaveCount(5);
        whole["pagination"]!.ToJsonString().Should().Be("""{"page":1,"limit":100,"total":5}""");

        var clamped = await (await user.Client.GetAsync($"{Base}/{id}/events?limit=1000&page=0")).ShouldBeJsonAsync(HttpStatusCode.OK);
        clamped["pagination"]!.ToJsonString().Should().Be("""{"page":1,"limit":100,"total":5}""");
        var pastTheEnd = await (await user.Client.GetAsync($"{Base}/{id}/events?page=4&limit=2")).ShouldBeJsonAsync(HttpStatusCode.OK);
        pastTheEnd["data"]!.AsArray().Should().BeEmpty();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Walk_CalculateShareResetCalculate_WithAResultPerCalculationAndAnOrderedLog(string database)
    {
        var user = await UserAsync(database, "org_42");
        var id = await OpenAsync(user, "org_42");

        var loaded = await DispatchAsync(user, id, "CalculateRequested", SeedPayload);
        loaded["state"]!.GetValue<string>().Should().Be("loaded");
        loaded["last_event"]!.GetValue<string>().Should().Be("CalculateRequested");
        var firstResult = loaded["result_id"]!.GetValue<string>();
        firstResult.Should().MatchRegex("^calc_[0-9a-f]{16}$");

        var shared = await DispatchAsync(user, id, "ShareRequested", null);
        shared["state"]!.GetValue<string>().Should().Be("shared");
        shared["share_token"]!.GetValue<string>().Should().StartWith("share_");
        (await DispatchAsync(user, id, "ShareRequested", null))["share_token"]!.GetValue<string>()
            .Should().Be(shared["share_token"]!.GetValue<string>(), "sharing again keeps the token");

        var reset = await DispatchAsync(user, id, "ResetRequested", null);
        reset["state"]!.GetValue<string>().Should().Be("initial");
        reset["result_id"].Should().BeNull();

        var again = await DispatchAsync(user, id, "CalculateRequested", """{"sessions":4,"avg_minutes":45,"cost_per_session":0,"cost_per_hour":60}""");
        again["result_id"]!.GetValue<string>().Should().NotBe(firstResult);

        var result = await (await user.Client.GetAsync($"/api/v1/benefit-calculator-results/{firstResult}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        result["session_id"]!.GetValue<string>().Should().Be(id);
        JsonNode.DeepEquals(result["inputs"], JsonNode.Parse("""{"sessions":25,"avg_minutes":30,"cost_per_session":3.5,"cost_per_hour":30}"""))
            .Should().BeTrue(result.ToJsonString());
        result["outputs"]!.ToJsonString().Should().Be(
            """{"total_minutes":750,"total_hours":12.50,"time_value":375.00,"programme_cost":87.50,"net_benefit":287.50,"roi_percent":328.57}""");
        var second = await (await user.Client.GetAsync($"/api/v1/benefit-calculator-results/{again["result_id"]}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        second["outputs"]!["roi_percent"].Should().BeNull("a free programme has no return on investment");

        var log = await (await user.Client.GetAsync($"{Base}/{id}/events")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var entries = log["data"]!.AsArray();
        entries.Select(e => e!["event"]!.GetValue<string>()).Should().Equal(
            "CalculateRequested", "ShareRequested", "ShareRequested", "ResetRequested", "CalculateRequested");
        entries.Select(e => e!["sequence"]!.GetValue<int>()).Should().Equal(1, 2, 3, 4, 5);
        entries.Select(e => e!["state"]!.GetValue<string>()).Should().Equal("loaded", "shared", "shared", "initial", "loaded");
        entries[0]!["payload"]!["sessions"]!.GetValue<int>().Should().Be(25);
        entries[0]!["result_id"]!.GetValue<string>().Should().Be(firstResult);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task RefusedEvents_LeaveTheSessionAndTheLogUnchanged(string database)
    {
        var user = await UserAsync(database, "org_42");
        var id = await OpenAsync(user, "org_42");

        var share = await user.Client.PutAsync($"{Base}/{id}", Json("""{"event":"ShareRequested"}"""));
        (await share.ShouldBeProblemAsync(HttpStatusCode.Conflict))["code"]!.GetValue<string>().Should().Be("illegal_transition");

        var unknown = await user.Client.PutAsync($"{Base}/{id}", Json("""{"event":"ExplodeRequested"}"""));
        (await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["event"].Should().NotBeNull();

        foreach (var (payload, field) in new[]
                 {
                     ("""{"sessions":0,"avg_minutes":30,"cost_per_session":1,"cost_per_hour":1}""", "payload.sessions"),
                     ("""{"sessions":2.5,"avg_minutes":30,"cost_per_session":1,"cost_per_hour":1}""", "payload.sessions"),
                     ("""{"sessions":"25","avg_minutes":30,"cost_per_session":1,"cost_per_hour":1}""", "payload.sessions"),
                     ("""{"sessions":1,"avg_minutes":0,"cost_per_session":1,"cost_per_hour":1}""", "payload.avg_minutes"),
                     ("""{"sessions":1,"avg_minutes":1441,"cost_per_session":1,"cost_per_hour":1}""", "payload.avg_minutes"),
                     ("""{"sessions":1,"avg_minutes":30,"cost_per_session":-1,"cost_per_hour":1}""", "payload.cost_per_session"),
                     ("""{"sessions":1,"avg_minutes":30,"cost_per_session":1}""", "payload.cost_per_hour"),
                 })
        {
            var invalid = await user.Client.PutAsync($"{Base}/{id}", Json($$"""{"event":"CalculateRequested","payload":{{payload}}}"""));
            (await invalid.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]![field].Should().NotBeNull(payload);
        }

        var noPayload = await user.Client.PutAsync($"{Base}/{id}", Json("""{"event":"CalculateRequested"}"""));
        (await noPayload.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["payload"].Should().NotBeNull();

        var session = await (await user.Client.GetAsync($"{Base}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        session["state"]!.GetValue<string>().Should().Be("initial");
        session["last_event"].Should().BeNull();
        var log = await (await user.Client.GetAsync($"{Base}/{id}/events")).ShouldBeJsonAsync(HttpStatusCode.OK);
        log["data"]!.AsArray().Should().BeEmpty();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Organisations_DecideAccess(string database)
    {
        var host = await hosts.For(database);
        var member = await host.CreateUserAsync(organisations: ["org_42"]);
        var outsider = await host.CreateUserAsync(organisations: ["org_7"]);
        var id = await OpenAsync(member, "org_42");
        var result = (await DispatchAsync(member, id, "CalculateRequested", SeedPayload))["result_id"]!.GetValue<string>();

        await (await outsider.Client.PostAsync(Base, Json("""{"mentor_id":"m","organisation_id":"org_42"}"""))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await outsider.Client.GetAsync($"{Base}/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.Client.GetAsync($"{Base}/{id}/events")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.Client.PutAsync($"{Base}/{id}", Json("""{"event":"ResetRequested"}"""))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.Client.DeleteAsync($"{Base}/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var hidden = await outsider.Client.GetAsync($"/api/v1/benefit-calculator-results/{result}");
        await hidden.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await outsider.Client.GetAsync(Base)).ShouldBeJsonAsync(HttpStatusCode.OK))["pagination"]!["total"]!.GetValue<int>().Should().Be(0);

        var colleague = await host.CreateUserAsync(organisations: ["org_42"]);
        (await colleague.Client.GetAsync($"{Base}/{id}")).StatusCode.Should().Be(HttpStatusCode.OK, "the organisation owns the session");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task List_FiltersByMentor_NewestFirst_Paged(string database)
    {
        var host = await hosts.For(database);
        var organisation = $"org_{Guid.NewGuid():N}";
        var user = await host.CreateUserAsync(organisations: [organisation]);
        var ids = new List<string>();
        foreach (var mentor in new[] { "mentor_a", "mentor_b", "mentor_a", "mentor_a" })
        {
            var session = await (await user.Client.PostAsync(Base, Json($$"""{"mentor_id":"{{mentor}}","organisation_id":"{{organisation}}"}""")))
                .ShouldBeJsonAsync(HttpStatusCode.Created);
            ids.Add(session["session_id"]!.GetValue<string>());
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await (await user.Client.GetAsync($"{Base}?mentor_id=mentor_a&limit=2&page=1")).ShouldBeJsonAsync(HttpStatusCode.OK);

        page["data"]!.AsArray().Select(s => s!["session_id"]!.GetValue<string>()).Should().Equal(ids[3], ids[2]);
        JsonNode.DeepEquals(page["pagination"], JsonNode.Parse("""{"page":1,"limit":2,"total":3}""")).Should().BeTrue();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Delete_RemovesTheSessionItsResultsAndLog(string database)
    {
        var user = await UserAsync(database, "org_42");
        var id = await OpenAsync(user, "org_42");
        var result = (await DispatchAsync(user, id, "CalculateRequested", SeedPayload))["result_id"]!.GetValue<string>();

        var deleted = await (await user.Client.DeleteAsync($"{Base}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        JsonNode.DeepEquals(deleted, JsonNode.Parse($$"""{"deleted":true,"session_id":"{{id}}"}""")).Should().BeTrue();
        await (await user.Client.GetAsync($"{Base}/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.GetAsync($"/api/v1/benefit-calculator-results/{result}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Open_WithoutMentorOrOrganisation_Is400(string database)
    {
        var user = await UserAsync(database, "org_42");

        var problem = await (await user.Client.PostAsync(Base, Json("{}"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        problem["errors"]!["mentor_id"].Should().NotBeNull();
        problem["errors"]!["organisation_id"].Should().NotBeNull();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AShareLink_AnswersTheResultWithoutAKey_AndStopsWorkingOnResetOrANewCalculation(string database)
    {
        var host = await hosts.For(database);
        var organisation = $"org_share_{Guid.NewGuid():N}";
        var user = await host.CreateUserAsync(scopes: [Scopes.CalculatorSessionRead, Scopes.CalculatorSessionWrite], organisations: [organisation]);
        var id = await OpenAsync(user, organisation);
        var resultId = (await DispatchAsync(user, id, "CalculateRequested", SeedPayload))["result_id"]!.GetValue<string>();
        var token = (await DispatchAsync(user, id, "ShareRequested", null))["share_token"]!.GetValue<string>();
        token.Should().MatchRegex("^share_[0-9a-f]{32}$", "a token carries 128 random bits");
        var anonymous = host.CreateClient(token: null);

        var shared = await (await anonymous.GetAsync($"/api/v1/benefit-calculator-shares/{token}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        shared.Select(p => p.Key).Should().Equal("result_id", "inputs", "outputs", "calculated_at");
        shared["result_id"]!.GetValue<string>().Should().Be(resultId);
        shared["inputs"]!.ToJsonString().Should().Be("""{"sessions":25,"avg_minutes":30,"cost_per_session":3.5,"cost_per_hour":30}""");
        shared["outputs"]!["net_benefit"].Should().NotBeNull();
        shared.ToJsonString().Should().NotContainAny(organisation, id, "mentor_001");

        await DispatchAsync(user, id, "ResetRequested", null);
        await (await anonymous.GetAsync($"/api/v1/benefit-calculator-shares/{token}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await DispatchAsync(user, id, "CalculateRequested", SeedPayload);
        var second = (await DispatchAsync(user, id, "ShareRequested", null))["share_token"]!.GetValue<string>();
        second.Should().NotBe(token);
        (await anonymous.GetAsync($"/api/v1/benefit-calculator-shares/{second}")).StatusCode.Should().Be(HttpStatusCode.OK);
        await DispatchAsync(user, id, "CalculateRequested", SeedPayload);
        await (await anonymous.GetAsync($"/api/v1/benefit-calculator-shares/{second}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync($"/api/v1/benefit-calculator-shares/share_{new string('0', 32)}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ShareLinks_HaveARateLimitPerClientAddressOfTheirOwn(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:ShareRateLimitBurst"] = "3",
            ["Sessions:Api:ShareRateLimitPerMinute"] = "1",
        });
        var user = await host.CreateUserAsync(organisations: ["org_42"]);
        var anonymous = host.CreateClient(token: null);

        for (var i = 0; i < 3; i++)
        {
            await (await anonymous.GetAsync($"/api/v1/benefit-calculator-shares/share_unknown{i}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        var limited = await anonymous.GetAsync("/api/v1/benefit-calculator-shares/share_unknown3");
        (await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests))["code"]!.GetValue<string>().Should().Be("rate_limited");
        limited.Headers.RetryAfter.Should().NotBeNull();
        (await user.Client.GetAsync(Base)).StatusCode.Should().Be(HttpStatusCode.OK, "other routes keep their own buckets");
    }

    private async Task<TestUser> UserAsync(string database, string organisation) =>
        await (await hosts.For(database)).CreateUserAsync(scopes: [Scopes.CalculatorSessionRead, Scopes.CalculatorSessionWrite], organisations: [organisation]);

    private static async Task<string> OpenAsync(TestUser user, string organisation) =>
        (await (await user.Client.PostAsync(Base, Json($$"""{"mentor_id":"mentor_001","organisation_id":"{{organisation}}"}""")))
            .ShouldBeJsonAsync(HttpStatusCode.Created))["session_id"]!.GetValue<string>();

    private static async Task<JsonObject> DispatchAsync(TestUser user, string id, string @event, string? payload) =>
        await (await user.Client.PutAsync($"{Base}/{id}",
                Json(payload is null ? $$"""{"event":"{{@event}}"}""" : $$"""{"event":"{{@event}}","payload":{{payload}}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
}
