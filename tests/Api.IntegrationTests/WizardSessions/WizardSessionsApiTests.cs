using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.WizardSessions;

[Collection(ApiCollection.Name)]
public sealed class WizardSessionsApiTests(ApiHosts hosts)
{
    private const string Base = "/api/v1/wizard-sessions";
    private const string Wizard = "onboarding-wizard-v3";

    [Theory, ClassData(typeof(Databases))]
    public async Task Start_ReturnsTheSeedShape_WithLocationAndETag(string database)
    {
        var (_, user) = await SetUpAsync(database);

        var response = await user.Client.PostAsync(Base, Json($$"""{"wizard_id":"{{Wizard}}","user_id":"{{user.Handle}}","locale":"en-IE"}"""));

        var session = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        session["session_id"]!.GetValue<string>().Should().MatchRegex("^sess-[0-9a-f]{16}$");
        session["wizard_id"]!.GetValue<string>().Should().Be(Wizard);
        session["user_id"]!.GetValue<string>().Should().Be(user.Handle);
        session["current_step_index"]!.GetValue<int>().Should().Be(0);
        session["total_steps"]!.GetValue<int>().Should().Be(6);
        session["status"]!.GetValue<string>().Should().Be("in_progress");
        session["locale"]!.GetValue<string>().Should().Be("en-IE");
        session["started_at"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        response.Headers.Location!.AbsolutePath.Should().Be($"{Base}/{session["session_id"]}");
        response.Headers.ETag!.Tag.Should().Be("\"1\"");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Start_WithoutLocale_DefaultsToEnglish(string database)
    {
        var (_, user) = await SetUpAsync(database);

        var session = await (await user.Client.PostAsync(Base, Json($$"""{"wizard_id":"{{Wizard}}","user_id":"{{user.Handle}}"}""")))
            .ShouldBeJsonAsync(HttpStatusCode.Created);

        session["locale"]!.GetValue<string>().Should().Be("en");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task SeedWalk_AnswerThenNextSixTimes_Completes(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = await StartAsync(user);
        string[] answers =
        [
            """{"screen-01":{"chosen":["opt-b"]}}""", """{"screen-02":{"chosen":["opt-a","opt-c"]}}""",
            """{"screen-03":{"chosen":["opt-b"]}}""", """{"screen-04":{"chosen":["opt-a"]}}""",
            """{"screen-05":{"chosen":["opt-a"]}}""", """{"screen-06":{"chosen":["opt-b"]}}""",
        ];

        for (var step = 0; step < 6; step++)
        {
            var moved = await (await user.Client.PostAsync($"{Base}/{id}/next-step", Json($$"""{"answers":{{answers[step]}}}""")))
                .ShouldBeJsonAsync(HttpStatusCode.OK);
            moved["session_id"]!.GetValue<string>().Should().Be(id);
            moved["previous_step_index"]!.GetValue<int>().Should().Be(step);
            moved["current_step_index"]!.GetValue<int>().Should().Be(step + 1);
            moved["status"]!.GetValue<string>().Should().Be(step < 5 ? "in_progress" : "completed");
        }

        var session = await GetAsync(user, id);
        session["status"]!.GetValue<string>().Should().Be("completed");
        session["answers"]!.AsObject().Select(a => a.Key).Should().Equal("screen-01", "screen-02", "screen-03", "screen-04", "screen-05", "screen-06");
        JsonNode.DeepEquals(session["answers"]!["screen-02"], JsonNode.Parse("""{"chosen":["opt-a","opt-c"]}""")).Should().BeTrue();
        var list = await (await user.Client.GetAsync(Base)).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["pagination"]!["total"]!.GetValue<int>().Should().Be(0, "a completed session is no longer active");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task PutWithAction_SharesTheTransitions_AndAnswersTheFullSession(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = await StartAsync(user);

        var saved = await (await user.Client.PutAsync($"{Base}/{id}", Json("""{"action":"save","answers":{"screen-01":{"chosen":["opt-b"]}}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        saved["current_step_index"]!.GetValue<int>().Should().Be(0);
        var advanced = await (await user.Client.PutAsync($"{Base}/{id}", Json("""{"action":"next_step","answers":{"screen-02":{"chosen":["opt-a"]}}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        advanced["current_step_index"]!.GetValue<int>().Should().Be(1);
        JsonNode.DeepEquals(advanced["answers"], JsonNode.Parse("""{"screen-01":{"chosen":["opt-b"]},"screen-02":{"chosen":["opt-a"]}}""")).Should().BeTrue();
        advanced["updated_at"].Should().NotBeNull();
        var back = await (await user.Client.PutAsync($"{Base}/{id}", Json("""{"action":"previous_step"}"""))).ShouldBeJsonAsync(HttpStatusCode.OK);
        back["current_step_index"]!.GetValue<int>().Should().Be(0);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Branching_SkipsTheHiddenScreenForwardAndBackward_WithConsistentPositions(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = await StartAsync(user);
        await NextAsync(user, id, """{"screen-01":{"chosen":["opt-a"]}}""");
        await NextAsync(user, id, """{"screen-02":{"chosen":["opt-b"]}}""");

        var solo = await NextAsync(user, id, """{"screen-03":{"chosen":["opt-a"]}}""");

        solo["total_steps"]!.GetValue<int>().Should().Be(5, "screen-04 is hidden for a team of one");
        solo["current_step_index"]!.GetValue<int>().Should().Be(3);
        (await GetAsync(user, id))["current_screen_id"]!.GetValue<string>().Should().Be("screen-05");

        var back = await (await user.Client.PostAsync($"{Base}/{id}/previous-step", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        back["previous_step_index"]!.GetValue<int>().Should().Be(3);
        back["current_step_index"]!.GetValue<int>().Should().Be(2);
        (await GetAsync(user, id))["current_screen_id"]!.GetValue<string>().Should().Be("screen-03");

        var team = await NextAsync(user, id, """{"screen-03":{"chosen":["opt-b"]}}""");
        team["total_steps"]!.GetValue<int>().Should().Be(6);
        (await GetAsync(user, id))["current_screen_id"]!.GetValue<string>().Should().Be("screen-04");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task SaveDraft_ReturnsAStableDraftId_ThatGetShows(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = await StartAsync(user);
        await NextAsync(user, id, """{"screen-01":{"chosen":["opt-b"]}}""");

        var first = await (await user.Client.PostAsync($"{Base}/{id}/save-draft", Json("""{"answers":{"screen-02":{"chosen":["opt-a"]}}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var second = await (await user.Client.PostAsync($"{Base}/{id}/save-draft", Json("""{"answers":{"screen-02":{"chosen":["opt-c"]}}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        first["draft_id"]!.GetValue<string>().Should().MatchRegex("^draft-[0-9a-f]{16}$");
        second["draft_id"]!.GetValue<string>().Should().Be(first["draft_id"]!.GetValue<string>());
        second["session_id"]!.GetValue<string>().Should().Be(id);
        second["step_index"]!.GetValue<int>().Should().Be(1);
        second["saved_at"].Should().NotBeNull();
        var session = await GetAsync(user, id);
        session["draft"]!["draft_id"]!.GetValue<string>().Should().Be(first["draft_id"]!.GetValue<string>());
        session["answers"]!["screen-02"]!["chosen"]![0]!.GetValue<string>().Should().Be("opt-c");
        session["current_step_index"]!.GetValue<int>().Should().Be(1, "a draft does not move the session");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Delete_DiscardsTheSessionAndItsDraft(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = await StartAsync(user);
        (await user.Client.PostAsync($"{Base}/{id}/save-draft", Json("""{"answers":{}}"""))).StatusCode.Should().Be(HttpStatusCode.OK);

        var deleted = await (await user.Client.DeleteAsync($"{Base}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        JsonNode.DeepEquals(deleted, JsonNode.Parse($$"""{"deleted":true,"session_id":"{{id}}"}""")).Should().BeTrue();
        await (await user.Client.GetAsync($"{Base}/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task List_ShowsTheCallersActiveSessions_MostRecentActivityFirst_Paged(string database)
    {
        var (host, user) = await SetUpAsync(database);
        var other = await host.CreateUserAsync();
        await StartAsync(other);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await StartAsync(user));
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await (await user.Client.GetAsync($"{Base}?page=1&limit=2")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var next = await (await user.Client.GetAsync($"{Base}?page=2&limit=2")).ShouldBeJsonAsync(HttpStatusCode.OK);

        page["data"]!.AsArray().Select(s => s!["session_id"]!.GetValue<string>()).Should().Equal(ids[2], ids[1]);
        next["data"]!.AsArray().Select(s => s!["session_id"]!.GetValue<string>()).Should().Equal(ids[0]);
        JsonNode.DeepEquals(page["pagination"], JsonNode.Parse("""{"page":1,"limit":2,"total":3}""")).Should().BeTrue();
        page["data"]![0]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(
            "session_id", "wizard_id", "user_id", "current_step_index", "total_steps", "status", "started_at", "last_activity_at");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task InactiveSessions_AreAbandoned_LeaveTheList_AndRefuseChanges(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:WizardSessions:AbandonAfter"] = "01:00:00",
        });
        var user = await host.CreateUserAsync();
        var id = await StartAsync(user);

        host.Clock.Advance(TimeSpan.FromHours(1));

        (await GetAsync(user, id))["status"]!.GetValue<string>().Should().Be("abandoned");
        (await (await user.Client.GetAsync(Base)).ShouldBeJsonAsync(HttpStatusCode.OK))["pagination"]!["total"]!.GetValue<int>().Should().Be(0);
        var refused = await user.Client.PostAsync($"{Base}/{id}/next-step", Json("""{"answers":{"screen-01":{"chosen":["opt-a"]}}}"""));
        (await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict))["code"]!.GetValue<string>().Should().Be("session_abandoned");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Errors_AreProblemDetails_AndChangeNothing(string database)
    {
        var (host, user) = await SetUpAsync(database);
        var id = await StartAsync(user);

        var unknownWizard = await user.Client.PostAsync(Base, Json($$"""{"wizard_id":"no-such-wizard","user_id":"{{user.Handle}}"}"""));
        (await unknownWizard.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["wizard_id"].Should().NotBeNull();

        var notMe = await user.Client.PostAsync(Base, Json($$"""{"wizard_id":"{{Wizard}}","user_id":"somebody-else"}"""));
        await notMe.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var badLocale = await user.Client.PostAsync(Base, Json($$"""{"wizard_id":"{{Wizard}}","user_id":"{{user.Handle}}","locale":"not a locale"}"""));
        (await badLocale.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["locale"].Should().NotBeNull();

        var foreignOption = await user.Client.PostAsync($"{Base}/{id}/next-step", Json("""{"answers":{"screen-01":{"chosen":["opt-z"]}}}"""));
        (await foreignOption.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["answers.screen-01"].Should().NotBeNull();

        var twoOnSingle = await user.Client.PostAsync($"{Base}/{id}/next-step", Json("""{"answers":{"screen-01":{"chosen":["opt-a","opt-b"]}}}"""));
        (await twoOnSingle.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["answers.screen-01"].Should().NotBeNull();

        var unknownScreen = await user.Client.PostAsync($"{Base}/{id}/next-step", Json("""{"answers":{"screen-99":{"chosen":["opt-a"]}}}"""));
        (await unknownScreen.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["answers.screen-99"].Should().NotBeNull();

        var noChosen = await user.Client.PostAsync($"{Base}/{id}/next-step", Json("""{"answers":{"screen-01":{}}}"""));
        (await noChosen.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["answers.screen-01"].Should().NotBeNull();

        var requiredMissing = await user.Client.PostAsync($"{Base}/{id}/next-step", null);
        (await requiredMissing.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["answers.screen-01"].Should().NotBeNull();

        var atFirst = await user.Client.PostAsync($"{Base}/{id}/previous-step", null);
        (await atFirst.ShouldBeProblemAsync(HttpStatusCode.Conflict))["code"]!.GetValue<string>().Should().Be("at_first_screen");

        var noAction = await user.Client.PutAsync($"{Base}/{id}", Json("""{"answers":{}}"""));
        (await noAction.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["action"].Should().NotBeNull();

        var badAction = await user.Client.PutAsync($"{Base}/{id}", Json("""{"action":"jump"}"""));
        await badAction.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var session = await GetAsync(user, id);
        session["answers"]!.AsObject().Should().BeEmpty();
        session["current_step_index"]!.GetValue<int>().Should().Be(0);
        var list = await (await user.Client.GetAsync(Base)).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["pagination"]!["total"]!.GetValue<int>().Should().Be(1, "no refused start created a session");

        var other = await host.CreateUserAsync();
        await (await other.Client.GetAsync($"{Base}/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.PostAsync($"{Base}/{id}/next-step", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"{Base}/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AnyChangeAfterCompletion_Is409(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = await StartAsync(user);
        await NextAsync(user, id, """{"screen-01":{"chosen":["opt-a"]}}""");
        for (var i = 0; i < 5; i++)
        {
            await NextAsync(user, id, null);
        }

        foreach (var (method, path, body) in new[]
                 {
                     (HttpMethod.Post, $"{Base}/{id}/next-step", "{}"),
                     (HttpMethod.Post, $"{Base}/{id}/previous-step", "{}"),
                     (HttpMethod.Post, $"{Base}/{id}/save-draft", """{"answers":{}}"""),
                     (HttpMethod.Put, $"{Base}/{id}", """{"action":"save","answers":{}}"""),
                 })
        {
            var response = await user.Client.SendAsync(new HttpRequestMessage(method, path) { Content = Json(body) });
            (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict))["code"]!.GetValue<string>().Should().Be("session_completed");
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task StaleIfMatch_Is412(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = await StartAsync(user);
        await NextAsync(user, id, """{"screen-01":{"chosen":["opt-a"]}}""");

        var stale = new HttpRequestMessage(HttpMethod.Post, $"{Base}/{id}/next-step") { Content = Json("{}") };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));

        await (await user.Client.SendAsync(stale)).ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        (await GetAsync(user, id))["current_step_index"]!.GetValue<int>().Should().Be(1);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task FiftyConcurrentNextSteps_EndWhereFiftySequentialOnesWould(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var concurrent = await StartAsync(user);
        var sequential = await StartAsync(user);
        foreach (var id in new[] { concurrent, sequential })
        {
            (await user.Client.PutAsync($"{Base}/{id}", Json("""{"action":"save","answers":{"screen-01":{"chosen":["opt-a"]}}}""")))
                .StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var sequentialStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++)
        {
            sequentialStatuses.Add((await user.Client.PostAsync($"{Base}/{sequential}/next-step", null)).StatusCode);
        }

        var concurrentStatuses = (await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(_ => user.Client.PostAsync($"{Base}/{concurrent}/next-step", null)))).Select(r => r.StatusCode).ToList();

        concurrentStatuses.Should().BeEquivalentTo(sequentialStatuses, "six moves succeed and the other calls meet a completed session");
        concurrentStatuses.Count(s => s == HttpStatusCode.OK).Should().Be(6);
        var a = await user.Client.GetAsync($"{Base}/{concurrent}");
        var b = await user.Client.GetAsync($"{Base}/{sequential}");
        var (endA, endB) = (await a.ShouldBeJsonAsync(HttpStatusCode.OK), await b.ShouldBeJsonAsync(HttpStatusCode.OK));
        endA["status"]!.GetValue<string>().Should().Be("completed");
        endA["current_step_index"]!.GetValue<int>().Should().Be(endB["current_step_index"]!.GetValue<int>());
        a.Headers.ETag.Should().Be(b.Headers.ETag, "both made exactly the same number of changes");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Catalog_ServesTheWizardWithItsScreensAndCondition(string database)
    {
        var (_, user) = await SetUpAsync(database);

        var all = await (await user.Client.GetAsync("/api/v1/wizards")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var wizard = await (await user.Client.GetAsync($"/api/v1/wizards/{Wizard}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        all["data"]!.AsArray().Select(w => w!["wizard_id"]!.GetValue<string>()).Should().Contain(Wizard);
        var screens = wizard["screens"]!.AsArray();
        screens.Select(s => s!["id"]!.GetValue<string>()).Should().Equal("screen-01", "screen-02", "screen-03", "screen-04", "screen-05", "screen-06");
        screens.Select(s => s!["kind"]!.GetValue<string>()).Should().Contain(["single", "multi"]);
        screens.Count(s => s!["required"]!.GetValue<bool>()).Should().Be(1);
        screens[3]!["hidden_when"]!["screen"]!.GetValue<string>().Should().Be("screen-03");
        await (await user.Client.GetAsync("/api/v1/wizards/no-such-wizard")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<(ApiHost Host, TestUser User)> SetUpAsync(string database)
    {
        var host = await hosts.For(database);
        return (host, await host.CreateUserAsync());
    }

    private static async Task<string> StartAsync(TestUser user)
    {
        var session = await (await user.Client.PostAsync(Base, Json($$"""{"wizard_id":"{{Wizard}}","user_id":"{{user.Handle}}"}""")))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        return session["session_id"]!.GetValue<string>();
    }

    private static async Task<JsonObject> NextAsync(TestUser user, string id, string? answers) =>
        await (await user.Client.PostAsync($"{Base}/{id}/next-step", answers is null ? null : Json($$"""{"answers":{{answers}}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

    private static async Task<JsonObject> GetAsync(TestUser user, string id) =>
        await (await user.Client.GetAsync($"{Base}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
}
