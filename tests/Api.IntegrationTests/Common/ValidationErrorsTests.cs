using System.Net;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Common;

/// <summary>
/// A refused body names every field that is wrong at once, by its wire path as the module spells it
/// (<c>tasks[3].status</c>, <c>payload.sessions</c>, <c>data</c>, <c>body</c> for the whole body),
/// with a message in words; and the refusal changes nothing.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ValidationErrorsTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task AWizardRunPush_NamesEveryWrongField_ByItsWirePath_InWords(string database)
    {
        var project = Random.Shared.Next(1_000_000, 2_000_000);
        var user = await (await hosts.For(database)).CreateUserAsync(projects: [project]);
        var run = $"run-{Guid.NewGuid():N}";
        var body = $$$"""
            {"session_id":"{{{run}}}","workflow_id":"wf","skill_id":"s","started_at":"yesterday","run_phase":"sleeping",
             "tasks":[{"id":"0","title":"a","status":"pending"},{"id":"1","title":"b","status":"pending"},{"id":"2","title":"c","status":"pending"},
                      {"id":"3","title":"d","status":"someday"},"not a task"],
             "pending_input":{"id":"q","question_count":"three","sensitive":"yes"}}
            """;

        var problem = await (await user.Client.PostAsync($"/api/projects/{project}/wizard/sessions", Json(body))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Errors(problem).Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["started_at"] = ["'started_at' must be an ISO 8601 date-time such as 2026-03-26T10:30:00Z."],
            ["run_phase"] = ["'run_phase' must be one of idle, running, completed, error."],
            ["tasks[3].status"] = ["'tasks[3].status' must be one of pending, in_progress, completed, failed, canceled."],
            ["tasks[4]"] = ["'tasks[4]' must be a JSON object."],
            ["pending_input.question_count"] = ["'pending_input.question_count' must be a whole number."],
            ["pending_input.sensitive"] = ["'pending_input.sensitive' must be true or false."],
        });
        (await user.Client.GetAsync($"/api/projects/{project}/wizard/sessions/{run}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ABodyThatIsNotJson_OrNotAnObject_IsKeyedBody(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();

        var notJson = await (await user.Client.PostAsync("/api/v1/session", Json("""{"data":{}, "x":"""))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Errors(notJson).Keys.Should().Equal("body");
        Errors(notJson)["body"].Single().Should().StartWith("The body is not valid JSON: ").And.Contain("(line 1, byte 17)");
        notJson["code"]!.GetValue<string>().Should().Be("invalid_json");

        var notAnObject = await (await user.Client.PostAsync("/api/v1/wizard-sessions", Json("[1]"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Errors(notAnObject).Should().BeEquivalentTo(new Dictionary<string, string[]> { ["body"] = ["The body must be a JSON object."] });

        (await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK))["total"]!.GetValue<int>().Should().Be(0);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ConnectorData_IsKeyedAsTheCamelCaseModuleSpellsIt(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();

        var problem = await (await user.Client.PostAsync("/api/v1/session", Json("""{"data":[1,2]}"""))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Errors(problem).Should().BeEquivalentTo(new Dictionary<string, string[]> { ["data"] = ["'data' must be a JSON object."] });
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AWizardSessionUpdate_NamesTheActionAndTheAnswers(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();

        var problem = await (await user.Client.PutAsync($"/api/v1/wizard-sessions/{Guid.NewGuid()}", Json("""{"action":"fly","answers":[]}""")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Errors(problem).Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["action"] = ["'action' must be one of next_step, previous_step, save."],
            ["answers"] = ["'answers' must be a JSON object."],
        });
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AnOnboardingUpdate_NamesEveryWrongField(string database)
    {
        var tenant = Random.Shared.Next(1_000_000, 2_000_000);
        var user = await (await hosts.For(database)).CreateUserAsync(tenants: [tenant]);

        var problem = await (await user.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{Random.Shared.Next(1, 1_000_000)}",
            Json("""{"current_step":"two","status":"paused","takeover":"yes","assigned_to_user_id":99999999999999999999}""")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Errors(problem).Keys.Should().BeEquivalentTo("current_step", "status", "takeover", "assigned_to_user_id");
        Errors(problem)["current_step"].Should().Equal("'current_step' must be a whole number.");
        Errors(problem)["takeover"].Should().Equal("'takeover' must be true or false.");
        Errors(problem)["assigned_to_user_id"].Should().Equal($"'assigned_to_user_id' must be a whole number from {long.MinValue} to {long.MaxValue}.");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ACalculation_NamesEveryWrongInputAtOnce_AndRecordsNothing(string database)
    {
        var organisation = $"org_{Guid.NewGuid():N}";
        var user = await (await hosts.For(database)).CreateUserAsync(organisations: [organisation]);
        var created = await (await user.Client.PostAsync("/api/v1/benefit-calculator-sessions",
            Json($$"""{"mentor_id":"m","organisation_id":"{{organisation}}"}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var path = $"/api/v1/benefit-calculator-sessions/{created["session_id"]}";

        // Unreadable inputs are named together with the rules the readable ones break.
        var mixed = await Calculate(user, path, """{"sessions":"25","avg_minutes":0,"cost_per_hour":-1}""");
        Errors(mixed).Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["payload.sessions"] = ["'sessions' must be a number."],
            ["payload.avg_minutes"] = ["'avg_minutes' must be more than 0 and at most 1440."],
            ["payload.cost_per_session"] = ["'cost_per_session' is required."],
            ["payload.cost_per_hour"] = ["'cost_per_hour' must be between 0 and 1000000000."],
        });

        // Every input readable, several against the rules: all of them, with the first rule's code.
        var rules = await Calculate(user, path, """{"sessions":2.5,"avg_minutes":1441,"cost_per_session":1,"cost_per_hour":-1}""");
        Errors(rules).Keys.Should().BeEquivalentTo("payload.sessions", "payload.avg_minutes", "payload.cost_per_hour");
        rules["code"]!.GetValue<string>().Should().Be("invalid_sessions");

        var session = await (await user.Client.GetAsync(path)).ShouldBeJsonAsync(HttpStatusCode.OK);
        session["last_event"].Should().BeNull("neither calculation was accepted");
        session["result_id"].Should().BeNull();
    }

    private static async Task<JsonObject> Calculate(TestUser user, string path, string payload) =>
        await (await user.Client.PutAsync(path, Json($$"""{"event":"CalculateRequested","payload":{{payload}}}""")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

    private static Dictionary<string, string[]> Errors(JsonObject problem) =>
        problem["errors"]!.AsObject().ToDictionary(error => error.Key, error => error.Value!.AsArray().Select(message => (string)message!).ToArray());
}
