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
        var stored = await (await user.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        stored["createdAt"]!.GetValue<string>().Should().NotBe(Forged);
        stored["data"]!.ToJsonString().Should().Be("""{"a":1}""");
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
        var reset = await (await user.Client.PutAsync($"/api/v1/benefit-calculator-sessions/{id}",
            Json("""{"event":"ResetRequested","state":"shared","result_id":"calc_forged","share_token":"forged"}"""))).ShouldBeJsonAsync(HttpStatusCode.OK);
        reset["state"]!.GetValue<string>().Should().Be("initial");
        reset["result_id"].Should().BeNull();
        reset["share_token"].Should().BeNull();
    }
}
