using System.Net;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// Fields the server owns (ids, owners, states, timestamps, versions) sent in request bodies are
/// ignored: what is stored and returned is the server's value, never the client's.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MassAssignmentTests(ApiHosts hosts)
{
    private const string Forged = "2001-01-01T00:00:00Z";

    [Theory, ClassData(typeof(Databases))]
    public async Task ConnectorSession_IgnoresItsIdAndTimestamps(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var forgedId = Guid.NewGuid().ToString();

        var created = await (await user.Client.PostAsync("/api/v1/session",
            Json($$"""{"data":{"a":1},"sessionId":"{{forgedId}}","createdAt":"{{Forged}}","updatedAt":"{{Forged}}","version":99}""")))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created["sessionId"]!.GetValue<string>();

        id.Should().NotBe(forgedId);
        var read = await user.Client.GetAsync($"/api/v1/session/{id}");
        var stored = await read.ShouldBeJsonAsync(HttpStatusCode.OK);
        stored["createdAt"]!.GetValue<string>().Should().NotBe(Forged);
        stored["data"]!.ToJsonString().Should().Be("""{"a":1}""");
        read.Headers.ETag!.Tag.Should().Be("\"1\"", "a new session is at version 1, whatever version was sent");
        (await user.Client.GetAsync($"/api/v1/session/{forgedId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var patched = await user.Client.PatchAsync($"/api/v1/session/{id}",
            Json($$"""{"data":{"b":2},"sessionId":"{{forgedId}}","createdAt":"{{Forged}}","updatedAt":"{{Forged}}","version":99}"""));
        (await patched.ShouldBeJsonAsync(HttpStatusCode.OK))["sessionId"]!.GetValue<string>().Should().Be(id);
        patched.Headers.ETag!.Tag.Should().Be("\"2\"", "one change moves the version by one, whatever version was sent");
        stored = await (await user.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        stored["data"]!.ToJsonString().Should().Be("""{"a":1,"b":2}""");
        stored["createdAt"]!.GetValue<string>().Should().NotBe(Forged);
        stored["updatedAt"]!.GetValue<string>().Should().NotBe(Forged);
        (await user.Client.GetAsync($"/api/v1/session/{forgedId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WizardSession_IgnoresStatusPositionIdsAndTimestamps(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var created = await (await user.Client.PostAsync("/api/v1/wizard-sessions", Json($$"""
            {"wizard_id":"onboarding-wizard-v3","user_id":"{{user.Handle}}","session_id":"sess-0000000000000001","status":"completed",
             "current_step_index":5,"total_steps":1,"current_screen_id":"screen-06","started_at":"{{Forged}}","completed_at":"{{Forged}}"}
            """))).ShouldBeJsonAsync(HttpStatusCode.Created);

        created["session_id"]!.GetValue<string>().Should().NotBe("sess-0000000000000001");
        AssertFresh(created);

        var id = created["session_id"]!.GetValue<string>();
        var saved = await (await user.Client.PutAsync($"/api/v1/wizard-sessions/{id}", Json($$$"""
            {"action":"save","answers":{"screen-01":{"chosen":["opt-a"]}},"status":"completed","current_step_index":4,
             "user_id":"someone-else","wizard_id":"other","started_at":"{{{Forged}}}"}
            """))).ShouldBeJsonAsync(HttpStatusCode.OK);
        AssertFresh(saved);
        saved["user_id"]!.GetValue<string>().Should().Be(user.Handle);
        saved["wizard_id"]!.GetValue<string>().Should().Be("onboarding-wizard-v3");

        static void AssertFresh(JsonObject session)
        {
            session["status"]!.GetValue<string>().Should().Be("in_progress");
            session["current_step_index"]!.GetValue<int>().Should().Be(0);
            session["total_steps"]!.GetValue<int>().Should().Be(6);
            session["current_screen_id"]!.GetValue<string>().Should().Be("screen-01");
            session["started_at"]!.GetValue<string>().Should().NotBe(Forged);
            session["completed_at"].Should().BeNull();
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WizardRun_IgnoresTeamTimestampsAndStaleness(string database)
    {
        var host = await hosts.For(database);
        var project = Random.Shared.Next(1_000_000, 2_000_000);
        var user = await host.CreateUserAsync(projects: [project]);
        var sessionId = $"wf-nextjs-{Guid.NewGuid():N}";

        var pushed = await (await user.Client.PostAsync($"/api/projects/{project}/wizard/sessions", Json($$"""
            {"session_id":"{{sessionId}}","workflow_id":"wf","skill_id":"nextjs","started_at":"2026-03-26T10:30:00Z","run_phase":"running",
             "tasks":[],"team_id":{{project + 1}},"created_at":"{{Forged}}","updated_at":"{{Forged}}","is_stale":true,"id":7,"version":42}
            """))).ShouldBeJsonAsync(HttpStatusCode.Created);

        pushed["team_id"]!.GetValue<int>().Should().Be(project);
        pushed["created_at"]!.GetValue<string>().Should().NotBe(Forged);
        pushed["updated_at"]!.GetValue<string>().Should().NotBe(Forged);
        pushed["is_stale"]!.GetValue<bool>().Should().BeFalse();
        var stored = await (await user.Client.GetAsync($"/api/projects/{project}/wizard/sessions/{sessionId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        stored["team_id"]!.GetValue<int>().Should().Be(project);
        stored["created_at"]!.GetValue<string>().Should().Be(pushed["created_at"]!.GetValue<string>());
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task CalculatorSession_IgnoresStateResultShareTokenAndTimestamps(string database)
    {
        var host = await hosts.For(database);
        var organisation = $"org_{Guid.NewGuid():N}";
        var user = await host.CreateUserAsync(organisations: [organisation]);

        var opened = await (await user.Client.PostAsync("/api/v1/benefit-calculator-sessions", Json($$"""
            {"mentor_id":"m","organisation_id":"{{organisation}}","session_id":"session_forged","state":"shared","result_id":"calc_forged",
             "share_token":"forged","last_event":"ShareRequested","created_at":"{{Forged}}"}
            """))).ShouldBeJsonAsync(HttpStatusCode.Created);

        opened["session_id"]!.GetValue<string>().Should().NotBe("session_forged");
        opened["state"]!.GetValue<string>().Should().Be("initial");
        opened["result_id"].Should().BeNull();
        opened["share_token"].Should().BeNull();
        opened["last_event"].Should().BeNull();
        opened["created_at"]!.GetValue<string>().Should().NotBe(Forged);

        var id = opened["session_id"]!.GetValue<string>();
        var calculate = await user.Client.PutAsync($"/api/v1/benefit-calculator-sessions/{id}", Json($$"""
            {"event":"CalculateRequested","payload":{"sessions":2,"avg_minutes":30,"cost_per_session":1,"cost_per_hour":10},
             "state":"shared","result_id":"calc_forged","share_token":"forged","last_event":"ShareRequested","version":99,
             "organisation_id":"org_forged","mentor_id":"forged","updated_at":"{{Forged}}"}
            """));
        var calculated = await calculate.ShouldBeJsonAsync(HttpStatusCode.OK);
        calculated["state"]!.GetValue<string>().Should().Be("loaded");
        calculated["result_id"]!.GetValue<string>().Should().StartWith("calc_").And.NotBe("calc_forged");
        calculated["share_token"].Should().BeNull();
        calculated["last_event"]!.GetValue<string>().Should().Be("CalculateRequested");
        calculated["organisation_id"]!.GetValue<string>().Should().Be(organisation);
        calculated["mentor_id"]!.GetValue<string>().Should().Be("m");
        calculated["updated_at"]!.GetValue<string>().Should().NotBe(Forged);
        calculate.Headers.ETag!.Tag.Should().Be("\"2\"", "one event moves the version by one, whatever version was sent");
        var result = await (await user.Client.GetAsync($"/api/v1/benefit-calculator-results/{calculated["result_id"]}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        result.ToJsonString().Should().NotContain("forged");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Onboarding_IgnoresIdsTenantsLocksSecretsAndTimestamps(string database)
    {
        var host = await hosts.For(database);
        var tenant = Random.Shared.Next(2_000_000, 3_000_000);
        var user = await host.CreateUserAsync(tenants: [tenant]);

        var connection = await (await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Json($$"""
            {"display_name":"x","base_url":"https://192.31.196.1","auth_mode":"client_secret","client_id":"c","client_secret":"sample-secret-0123456789",
             "id":7,"tenant_id":{{tenant + 1}},"has_client_secret":false,"created_at":"{{Forged}}","sealed_client_secret":"forged"}
            """))).ShouldBeJsonAsync(HttpStatusCode.Created);
        connection["id"]!.GetValue<long>().Should().NotBe(7);
        connection["tenant_id"]!.GetValue<int>().Should().Be(tenant);
        connection["has_client_secret"]!.GetValue<bool>().Should().BeTrue();
        connection["created_at"]!.GetValue<string>().Should().NotBe(Forged);

        var start = await user.Client.PostAsync($"/tenants/{tenant}/onboarding/session", null);
        var session = await start.ShouldBeJsonAsync(HttpStatusCode.Created);
        var version = long.Parse(start.Headers.ETag!.Tag.Trim('"'));
        var id = session["id"]!.GetValue<long>();
        var patch = await user.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}", Json($$"""
            {"current_step":2,"id":{{id + 1}},"tenant_id":{{tenant + 1}},"locked_by_user_id":{{user.UserId + 1}},"locked_until":"{{Forged}}",
             "created_at":"{{Forged}}","updated_at":"{{Forged}}","version":99,"completed_at":"{{Forged}}"}
            """));
        var patched = await patch.ShouldBeJsonAsync(HttpStatusCode.OK);
        patched["id"]!.GetValue<long>().Should().Be(id);
        patched["tenant_id"]!.GetValue<int>().Should().Be(tenant);
        patched["current_step"]!.GetValue<int>().Should().Be(2);
        patched["status"]!.GetValue<string>().Should().Be("in_progress");
        patched["locked_by_user_id"]!.GetValue<long>().Should().Be(user.UserId);
        patched["locked_until"]!.GetValue<string>().Should().NotBe(Forged);
        patched.ToJsonString().Should().NotContain(Forged);
        patch.Headers.ETag!.Tag.Should().Be($"\"{version + 1}\"",
            "one change moves the version by one, whatever version was sent");
    }
}
