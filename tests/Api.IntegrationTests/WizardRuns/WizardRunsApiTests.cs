using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.WizardRuns;

[Collection(ApiCollection.Name)]
public sealed class WizardRunsApiTests(ApiHosts hosts)
{
    /// <summary>A push shaped like the @posthog/wizard CLI's, about 2 KB with its event plan.</summary>
    public static string CliPush(string sessionId, string workflow = "posthog-integration", string skill = "nextjs",
        string phase = "running", string startedAt = "2026-03-26T10:30:00.123Z", string extra = "",
        string? handoff = "Run npm run dev and open the app") => $$$"""
        {"session_id":"{{{sessionId}}}","workflow_id":"{{{workflow}}}","skill_id":"{{{skill}}}","started_at":"{{{startedAt}}}",
         "run_phase":"{{{phase}}}",
         "tasks":[{"id":"0","title":"Detect framework","status":"completed"},{"id":"1","title":"Install posthog-js","status":"in_progress"},
                  {"id":"2","title":"Add provider","status":"pending"}],
         "event_plan":{"events":[{"name":"user_signed_up","description":"A new account","file":"app/signup/page.tsx"},
                                 {"name":"checkout_completed","description":"Payment done","properties":{"amount":"number"}}]},
         "pending_input":null{{{(handoff is null ? "" : $",\"handoff_text\":\"{handoff}\"")}}}{{{extra}}}}
        """;

    private static string Base(int project) => $"/api/projects/{project}/wizard/sessions";

    [Theory, ClassData(typeof(Databases))]
    public async Task FirstPush_Is201_RePush_Is200_ReplacingFieldsAndKeepingCreatedAt(string database)
    {
        var (host, user) = await SetUpAsync(database);
        var id = $"posthog-integration-nextjs-{Guid.NewGuid():N}:10:30:00Z";

        var created = await user.Client.PostAsync($"{Base(1)}/", Json(CliPush(id, extra: ""","error":{"type":"x","message":"m"}""")));
        var first = await created.ShouldBeJsonAsync(HttpStatusCode.Created);
        first["team_id"]!.GetValue<int>().Should().Be(1);
        first["started_at"]!.GetValue<string>().Should().Be("2026-03-26T10:30:00.123Z", "the client's time comes back as sent");
        first["event_plan"]!["events"]!.AsArray().Should().HaveCount(2);
        first["is_stale"]!.GetValue<bool>().Should().BeFalse();
        host.Clock.Advance(TimeSpan.FromMinutes(1));

        var updated = await user.Client.PostAsync($"{Base(1)}/", Json(CliPush(id, phase: "completed", handoff: null)));
        var second = await updated.ShouldBeJsonAsync(HttpStatusCode.OK);

        second["run_phase"]!.GetValue<string>().Should().Be("completed");
        second["created_at"]!.GetValue<string>().Should().Be(first["created_at"]!.GetValue<string>());
        DateTimeOffset.Parse(second["updated_at"]!.GetValue<string>()).Should().BeAfter(DateTimeOffset.Parse(first["updated_at"]!.GetValue<string>()));
        second["error"].Should().BeNull("an omitted nullable field becomes null");
        second["handoff_text"]!.GetValue<string>().Should().Be("Run npm run dev and open the app", "an omitted handoff_text is kept");
        var fetched = await (await user.Client.GetAsync($"{Base(1)}/{Uri.EscapeDataString(id)}/")).ShouldBeJsonAsync(HttpStatusCode.OK);
        fetched["run_phase"]!.GetValue<string>().Should().Be("completed");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task InvalidPushes_Are400_AndStoreNothing(string database)
    {
        var (_, user) = await SetUpAsync(database, project: 3);
        var id = $"s-{Guid.NewGuid():N}";

        foreach (var (body, field) in new[]
                 {
                     (CliPush(id).Replace("\"workflow_id\":\"posthog-integration\",", ""), "workflow_id"),
                     (CliPush(id, phase: "sleeping"), (string?)null),
                     (CliPush(id).Replace("\"status\":\"pending\"", "\"status\":\"someday\""), null),
                     (CliPush(id, workflow: "posthog:integration"), "workflow_id"),
                     (CliPush(id, skill: "bad skill"), "skill_id"),
                     (CliPush(new string('x', 256)), "session_id"),
                     (CliPush(id).Replace("\"tasks\":[", "\"other\":[").Replace("],\n         \"event_plan\"", "],\"event_plan\""), "tasks"),
                     ("""{"session_id":"x"}""", "workflow_id"),
                 })
        {
            var response = await user.Client.PostAsync(Base(3), Json(body));
            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            if (field is not null)
            {
                problem["errors"]![field].Should().NotBeNull(body);
            }
        }

        (await (await user.Client.GetAsync(Base(3))).ShouldBeJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>().Should().Be(0);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task SessionIds_WithColons_AreAccepted(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = $"posthog-integration-nextjs-2026-03-26T10:30:00.123Z-{Guid.NewGuid():N}";

        (await user.Client.PostAsync(Base(1), Json(CliPush(id)))).StatusCode.Should().Be(HttpStatusCode.Created);

        (await (await user.Client.GetAsync($"{Base(1)}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK))["session_id"]!.GetValue<string>().Should().Be(id);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task IdsAndFilters_CompareExactly_SoABCAndAbcAreTwoSessions(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var suffix = Guid.NewGuid().ToString("N");
        var workflow = $"WF-{suffix}";

        (await user.Client.PostAsync(Base(1), Json(CliPush($"ABC-{suffix}", workflow, startedAt: "2026-03-26T10:00:00.123456Z")))).StatusCode
            .Should().Be(HttpStatusCode.Created);
        (await user.Client.PostAsync(Base(1), Json(CliPush($"abc-{suffix}", workflow.ToLowerInvariant(), skill: "NextJS")))).StatusCode
            .Should().Be(HttpStatusCode.Created, "a session id differing only in case is another session");

        var upper = await (await user.Client.GetAsync($"{Base(1)}/ABC-{suffix}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        upper["workflow_id"]!.GetValue<string>().Should().Be(workflow);
        upper["started_at"]!.GetValue<string>().Should().Be("2026-03-26T10:00:00.123456Z", "timestamps keep their precision, in UTC");
        (await (await user.Client.GetAsync($"{Base(1)}/abc-{suffix}")).ShouldBeJsonAsync(HttpStatusCode.OK))["workflow_id"]!.GetValue<string>()
            .Should().Be(workflow.ToLowerInvariant());
        await (await user.Client.GetAsync($"{Base(1)}/Abc-{suffix}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var list = await (await user.Client.GetAsync($"{Base(1)}?workflow_id={workflow}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["count"]!.GetValue<int>().Should().Be(1);
        list["results"]![0]!["session_id"]!.GetValue<string>().Should().Be($"ABC-{suffix}");
        (await user.Client.GetAsync($"{Base(1)}/latest?workflow_id={workflow.ToLowerInvariant()}&skill_id=nextjs")).StatusCode
            .Should().Be(HttpStatusCode.NoContent, "skill_id NextJS is not nextjs");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Latest_Is204WhenNone_400WithoutWorkflow_AndTheNewestOtherwise(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var workflow = $"wf-{Guid.NewGuid():N}";

        var none = await user.Client.GetAsync($"{Base(1)}/latest?workflow_id={workflow}");
        none.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await none.Content.ReadAsStringAsync()).Should().BeEmpty();
        await (await user.Client.GetAsync($"{Base(1)}/latest")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        await user.Client.PostAsync(Base(1), Json(CliPush("old", workflow, startedAt: "2026-03-26T10:00:00Z")));
        await user.Client.PostAsync(Base(1), Json(CliPush("new", workflow, skill: "django", startedAt: "2026-03-26T11:00:00Z")));

        var latest = await (await user.Client.GetAsync($"{Base(1)}/latest/?workflow_id={workflow}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        latest["session_id"]!.GetValue<string>().Should().Be("new");
        var ofSkill = await (await user.Client.GetAsync($"{Base(1)}/latest?workflow_id={workflow}&skill_id=nextjs")).ShouldBeJsonAsync(HttpStatusCode.OK);
        ofSkill["session_id"]!.GetValue<string>().Should().Be("old");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task List_PagesWithTrueCountAndAbsoluteLinks_NewestStartFirst(string database)
    {
        var (_, user) = await SetUpAsync(database, project: 11);
        var workflow = $"wf-{Guid.NewGuid():N}";
        for (var i = 0; i < 5; i++)
        {
            await user.Client.PostAsync(Base(11), Json(CliPush($"run-{i}", workflow, startedAt: $"2026-03-26T10:0{i}:00Z")));
        }

        await user.Client.PostAsync(Base(11), Json(CliPush("elsewhere", $"other-{workflow}")));

        var page = await (await user.Client.GetAsync($"{Base(11)}?workflow_id={workflow}&limit=2&offset=2")).ShouldBeJsonAsync(HttpStatusCode.OK);

        page["count"]!.GetValue<int>().Should().Be(5);
        page["results"]!.AsArray().Select(r => r!["session_id"]!.GetValue<string>()).Should().Equal("run-2", "run-1");
        var next = new Uri(page["next"]!.GetValue<string>());
        next.IsAbsoluteUri.Should().BeTrue();
        next.Query.Should().Contain("offset=4").And.Contain("limit=2").And.Contain($"workflow_id={workflow}");
        new Uri(page["previous"]!.GetValue<string>()).Query.Should().Contain("offset=0");
        var last = await (await user.Client.GetAsync(page["next"]!.GetValue<string>())).ShouldBeJsonAsync(HttpStatusCode.OK);
        last["results"]!.AsArray().Select(r => r!["session_id"]!.GetValue<string>()).Should().Equal("run-0");
        last["next"].Should().BeNull();
        var first = await (await user.Client.GetAsync($"{Base(11)}?workflow_id={workflow}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        first["previous"].Should().BeNull();
        (await (await user.Client.GetAsync(Base(11))).ShouldBeJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>().Should().Be(6);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task IsStale_FlipsAfterTenMinutesOfSilence_UnlessFinished(string database)
    {
        await using var host = await ApiHost.StartAsync(database);
        var user = await host.CreateUserAsync(projects: [1]);
        await user.Client.PostAsync(Base(1), Json(CliPush("running")));
        await user.Client.PostAsync(Base(1), Json(CliPush("done", phase: "completed")));

        host.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        (await (await user.Client.GetAsync($"{Base(1)}/running")).ShouldBeJsonAsync(HttpStatusCode.OK))["is_stale"]!.GetValue<bool>().Should().BeTrue();
        (await (await user.Client.GetAsync($"{Base(1)}/done")).ShouldBeJsonAsync(HttpStatusCode.OK))["is_stale"]!.GetValue<bool>().Should().BeFalse();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AnotherProject_IsNotFound(string database)
    {
        var host = await hosts.For(database);
        var owner = await host.CreateUserAsync(projects: [21]);
        var stranger = await host.CreateUserAsync(projects: [22]);
        await owner.Client.PostAsync(Base(21), Json(CliPush("secret-run")));

        await (await stranger.Client.GetAsync($"{Base(21)}/secret-run")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.PostAsync(Base(21), Json(CliPush("secret-run")))).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await stranger.Client.GetAsync($"{Base(21)}/latest?workflow_id=posthog-integration")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await (await stranger.Client.GetAsync(Base(21))).ShouldBeJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>().Should().Be(0);
        await (await stranger.Client.GetAsync($"{Base(21)}/stream?workflow_id=posthog-integration")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await owner.Client.GetAsync($"{Base(21)}/secret-run")).ShouldBeJsonAsync(HttpStatusCode.OK))["run_phase"]!.GetValue<string>().Should().Be("running");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ARun_BelongsToItsCreator_AnotherUserOfTheProjectMayReadButNotPush(string database)
    {
        var host = await hosts.For(database);
        var handle = $"ada-{Guid.NewGuid():N}"[..20];
        var adaId = await host.SendAsync(new Sessions.Application.Access.Commands.RegisterUserCommand(handle, "Ada Lovelace"));
        var ada = await host.CreateKeyAsync(handle, projects: [33]);
        var grace = await host.CreateUserAsync(projects: [33]);
        var id = $"owned-{Guid.NewGuid():N}";

        var created = await (await ada.Client.PostAsync(Base(33), Json(CliPush(id)))).ShouldBeJsonAsync(HttpStatusCode.Created);
        created["created_by"]!.ToJsonString().Should().Be($$"""{"id":"{{adaId}}","handle":"{{handle}}","name":"Ada Lovelace"}""");

        var refused = await (await grace.Client.PostAsync(Base(33), Json(CliPush(id, phase: "error")))).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        refused["code"]!.GetValue<string>().Should().Be("run_owned_by_another_user");

        var read = await (await grace.Client.GetAsync($"{Base(33)}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        read["run_phase"]!.GetValue<string>().Should().Be("running", "the refused push changed nothing");
        read["updated_at"]!.GetValue<string>().Should().Be(created["updated_at"]!.GetValue<string>());
        (await (await grace.Client.GetAsync($"{Base(33)}?workflow_id=posthog-integration")).ShouldBeJsonAsync(HttpStatusCode.OK))["results"]!
            .AsArray().Select(r => r!["session_id"]!.GetValue<string>()).Should().Contain(id);
        using (var stream = await OpenStreamAsync(grace, $"{Base(33)}/stream?workflow_id=posthog-integration"))
        {
            (await stream.NextDataAsync())["created_by"]!["handle"]!.GetValue<string>().Should().Be(handle);
        }

        var again = await (await ada.Client.PostAsync(Base(33), Json(CliPush(id, phase: "completed")))).ShouldBeJsonAsync(HttpStatusCode.OK);
        again["run_phase"]!.GetValue<string>().Should().Be("completed");
        again["created_by"]!["id"]!.GetValue<string>().Should().Be(adaId.ToString());
        var graceOwn = await (await grace.Client.PostAsync(Base(33), Json(CliPush($"{id}-g")))).ShouldBeJsonAsync(HttpStatusCode.Created);
        graceOwn["created_by"]!["handle"]!.GetValue<string>().Should().Be(grace.Handle);
        graceOwn["created_by"]!["name"].Should().BeNull();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ARunStoredBeforeRunsHadOwners_ReadsWithoutACreator_UntilItsNextPushClaimsIt(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync(projects: [32]);
        var id = $"ownerless-{Guid.NewGuid():N}";
        await (await user.Client.PostAsync(Base(32), Json(CliPush(id, workflow: "ownerless")))).ShouldBeJsonAsync(HttpStatusCode.Created);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Sessions.Infrastructure.Persistence.SessionsDbContext>();
            (await db.Database.ExecuteSqlAsync(
                $"UPDATE wizard_runs SET created_by_user_id = NULL, created_by_handle = NULL, created_by_name = NULL WHERE session_id = {id}"))
                .Should().Be(1);
        }

        (await (await user.Client.GetAsync($"{Base(32)}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK))["created_by"].Should().BeNull();
        (await (await user.Client.GetAsync($"{Base(32)}/latest?workflow_id=ownerless")).ShouldBeJsonAsync(HttpStatusCode.OK))["created_by"]
            .Should().BeNull();
        (await (await user.Client.GetAsync($"{Base(32)}?workflow_id=ownerless")).ShouldBeJsonAsync(HttpStatusCode.OK))["results"]![0]!["created_by"]
            .Should().BeNull();

        var claimed = await (await user.Client.PostAsync(Base(32), Json(CliPush(id, workflow: "ownerless")))).ShouldBeJsonAsync(HttpStatusCode.OK);
        claimed["created_by"]!["handle"]!.GetValue<string>().Should().Be(user.Handle);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task HandoffText_IsKeptWhenOmitted_ClearedByNull_AndAtMost65536Characters(string database)
    {
        var (_, user) = await SetUpAsync(database);
        var id = $"handoff-{Guid.NewGuid():N}";
        await user.Client.PostAsync(Base(1), Json(CliPush(id, handoff: "first")));

        var omitted = await (await user.Client.PostAsync(Base(1), Json(CliPush(id, phase: "completed", handoff: null)))).ShouldBeJsonAsync(HttpStatusCode.OK);
        omitted["handoff_text"]!.GetValue<string>().Should().Be("first");
        var longest = new string('h', 65_536);
        (await (await user.Client.PostAsync(Base(1), Json(CliPush(id, handoff: longest)))).ShouldBeJsonAsync(HttpStatusCode.OK))["handoff_text"]!
            .GetValue<string>().Should().HaveLength(65_536);

        var tooLong = await (await user.Client.PostAsync(Base(1), Json(CliPush(id, handoff: longest + "h")))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        tooLong["errors"]!["handoff_text"].Should().NotBeNull();
        var cleared = await (await user.Client.PostAsync(Base(1), Json(CliPush(id, handoff: null, extra: ""","handoff_text":null""")))).ShouldBeJsonAsync(HttpStatusCode.OK);
        cleared["handoff_text"].Should().BeNull("an explicit null clears it");
        (await (await user.Client.GetAsync($"{Base(1)}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK))["handoff_text"].Should().BeNull();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task PendingInput_IsTyped_UnknownKeysDropped_AndASensitiveOnesPromptsNeverKeptOrShown(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync(projects: [32]);
        var id = $"pending-{Guid.NewGuid():N}";
        const string secret = "Paste your PostHog personal API key phx_4f2a";
        using var stream = await OpenStreamAsync(user, $"{Base(32)}/stream?workflow_id=pending-{id[8..]}");

        var sensitive = await (await user.Client.PostAsync(Base(32), Json(CliPush(id, $"pending-{id[8..]}").Replace("\"pending_input\":null",
            $$$"""
            "pending_input":{"id":"q-7","asked_at":"2026-03-26T10:31:00.25Z","question_count":1,"sensitive":true,"prompts":["{{{secret}}}"],"debug":{"raw":"{{{secret}}}"}}
            """)))).ShouldBeJsonAsync(HttpStatusCode.Created);
        sensitive["pending_input"]!.ToJsonString().Should().Be(
            """{"id":"q-7","asked_at":"2026-03-26T10:31:00.25Z","question_count":1,"sensitive":true,"prompts":[]}""");
        (await (await user.Client.GetAsync($"{Base(32)}/{id}")).Content.ReadAsStringAsync()).Should().NotContain("phx_4f2a");
        (await (await user.Client.GetAsync($"{Base(32)}?workflow_id=pending-{id[8..]}")).Content.ReadAsStringAsync()).Should().NotContain("phx_4f2a");
        (await stream.NextDataAsync()).ToJsonString().Should().Contain("\"prompts\":[]").And.NotContain("phx_4f2a");
        (await StoredText.AllAsync(host)).Should().NotContain("phx_4f2a", "the prompts of a sensitive question are never stored");
        host.Logs.Should().NotContain(line => line.Contains("phx_4f2a"));

        var open = await (await user.Client.PostAsync(Base(32), Json(CliPush(id, $"pending-{id[8..]}").Replace("\"pending_input\":null",
            """ "pending_input":{"id":"q-8","question_count":2,"sensitive":false,"prompts":["Which framework?","Which region?"]} """))))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        open["pending_input"]!.ToJsonString().Should().Be(
            """{"id":"q-8","asked_at":null,"question_count":2,"sensitive":false,"prompts":["Which framework?","Which region?"]}""");

        foreach (var (pending, field) in new[]
                 {
                     ("""{"id":"q","question_count":"2","sensitive":false}""", "pending_input.question_count"),
                     ("""{"id":"q","question_count":0,"sensitive":false}""", "pending_input.question_count"),
                     ("""{"id":"q","question_count":101,"sensitive":false}""", "pending_input.question_count"),
                     ("""{"question_count":1,"sensitive":false}""", "pending_input.id"),
                     ($$"""{"id":"{{new string('q', 256)}}","question_count":1,"sensitive":false}""", "pending_input.id"),
                     ("""{"id":"q","question_count":1}""", "pending_input.sensitive"),
                     ("""{"id":"q","question_count":1,"sensitive":"yes"}""", "pending_input.sensitive"),
                     ("""{"id":"q","question_count":1,"sensitive":false,"asked_at":"yesterday"}""", "pending_input.asked_at"),
                     ("""{"id":"q","question_count":1,"sensitive":false,"prompts":["a","b","c","d","e","f","g","h","i","j","k"]}""", "pending_input.prompts"),
                     ($$"""{"id":"q","question_count":1,"sensitive":false,"prompts":["{{new string('p', 2001)}}"]}""", "pending_input.prompts[0]"),
                     ("\"ask me\"", "pending_input"),
                 })
        {
            var refused = await (await user.Client.PostAsync(Base(32), Json(CliPush(id).Replace("\"pending_input\":null", $"\"pending_input\":{pending}"))))
                .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            refused["errors"]![field].Should().NotBeNull($"{pending} is refused on {field}: {refused.ToJsonString()}");
        }

        (await (await user.Client.GetAsync($"{Base(32)}/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK))["pending_input"]!["id"]!.GetValue<string>()
            .Should().Be("q-8", "refused pushes change nothing");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task PutPatchDelete_Are405(string database)
    {
        var (_, user) = await SetUpAsync(database);
        await user.Client.PostAsync(Base(1), Json(CliPush("fixed")));

        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            await (await user.Client.SendAsync(new HttpRequestMessage(method, $"{Base(1)}/fixed") { Content = Json("{}") }))
                .ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
            await (await user.Client.SendAsync(new HttpRequestMessage(method, Base(1)) { Content = Json("{}") }))
                .ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task TwentyConcurrentFirstPushes_EndInOneRow_WithoutServerErrors(string database)
    {
        var (_, user) = await SetUpAsync(database, project: 31);
        var id = $"race-{Guid.NewGuid():N}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => user.Client.PostAsync(Base(31), Json(CliPush(id)))));

        responses.Select(r => (int)r.StatusCode).Should().OnlyContain(status => status == 200 || status == 201);
        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1);
        (await (await user.Client.GetAsync(Base(31))).ShouldBeJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>().Should().Be(1);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Stream_SendsTheLatestFirst_ThenUpsertsOfItsPairOnly(string database)
    {
        var (_, user) = await SetUpAsync(database, project: 41);
        var workflow = $"wf-{Guid.NewGuid():N}";
        await user.Client.PostAsync(Base(41), Json(CliPush("before", workflow)));
        using var stream = await OpenStreamAsync(user, $"{Base(41)}/stream?workflow_id={workflow}&skill_id=nextjs");
        stream.Response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        stream.Response.Headers.CacheControl!.NoCache.Should().BeTrue();
        stream.Response.Headers.CacheControl.NoTransform.Should().BeTrue();
        stream.Response.Headers.GetValues("X-Accel-Buffering").Should().Equal("no");

        (await stream.NextDataAsync())["session_id"]!.GetValue<string>().Should().Be("before");

        await user.Client.PostAsync(Base(41), Json(CliPush("other-skill", workflow, skill: "django")));
        await user.Client.PostAsync(Base(41), Json(CliPush("other-workflow", $"x-{workflow}")));
        var started = DateTime.UtcNow;
        await user.Client.PostAsync(Base(41), Json(CliPush("after", workflow, phase: "completed")));

        var next = await stream.NextDataAsync();
        next["session_id"]!.GetValue<string>().Should().Be("after", "frames of another skill or workflow never arrive");
        next["run_phase"]!.GetValue<string>().Should().Be("completed");
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Stream_WithoutSkill_FollowsEverySkillOfTheWorkflow(string database)
    {
        var (_, user) = await SetUpAsync(database, project: 42);
        var workflow = $"wf-{Guid.NewGuid():N}";
        using var stream = await OpenStreamAsync(user, $"{Base(42)}/stream?workflow_id={workflow}");

        await user.Client.PostAsync(Base(42), Json(CliPush("a", workflow, skill: "nextjs")));
        (await stream.NextDataAsync())["skill_id"]!.GetValue<string>().Should().Be("nextjs");
        await user.Client.PostAsync(Base(42), Json(CliPush("b", workflow, skill: "django")));
        (await stream.NextDataAsync())["skill_id"]!.GetValue<string>().Should().Be("django");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Stream_PingsWhileIdle_AndEndsAfterItsLifetime(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:WizardRuns:StreamPingSeconds"] = "1",
            ["Sessions:WizardRuns:StreamMaxSeconds"] = "3",
        });
        var user = await host.CreateUserAsync(projects: [1]);

        var response = await user.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"{Base(1)}/stream?workflow_id=quiet"), HttpCompletionOption.ResponseHeadersRead);
        var text = await new StreamReader(await response.Content.ReadAsStreamAsync()).ReadToEndAsync()
            .WaitAsync(TimeSpan.FromSeconds(10));

        text.Should().Contain(": ping\n\n");
        text.Should().EndWith("event: end\ndata: reconnect\n\n");
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))).EnumerateAsync())
        {
            items.Add(item);
        }

        items.Should().ContainSingle().Which.Should().Be(new SseItem<string>("reconnect", "end"));
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Stream_PastTheCap_Is503WithRetryAfter_AndClosedStreamsFreeTheirPlace(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:WizardRuns:MaxStreams"] = "1",
        });
        var user = await host.CreateUserAsync(projects: [1]);

        var first = await OpenStreamAsync(user, $"{Base(1)}/stream?workflow_id=capped");
        var refused = await user.Client.GetAsync($"{Base(1)}/stream?workflow_id=capped", HttpCompletionOption.ResponseHeadersRead);
        await refused.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.Should().NotBeNull();

        first.Dispose();
        var streams = (Sessions.Api.WizardRuns.WizardRunStreams)host.Services.GetService(typeof(Sessions.Api.WizardRuns.WizardRunStreams))!;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (streams.Open > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        streams.Open.Should().Be(0, "a client that disconnects frees its stream promptly");
        ((Sessions.Infrastructure.WizardRuns.WizardRunSubscribers)host.Services.GetService(typeof(Sessions.Infrastructure.WizardRuns.WizardRunSubscribers))!)
            .Count.Should().Be(0, "and its subscription with it");
        using var again = await OpenStreamAsync(user, $"{Base(1)}/stream?workflow_id=capped");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AStreamOnOneInstance_ReceivesAnUpsertMadeThroughAnother_WithinASecond(string database)
    {
        await using var instanceA = await ApiHost.StartAsync(database);
        await using var instanceB = await ApiHost.SharingDatabaseOf(instanceA);
        var userOnA = await instanceA.CreateUserAsync(projects: [1]);
        var clientOnB = instanceB.CreateClient(userOnA.Token);
        await instanceB.WaitUntilListeningAsync();

        using var stream = await OpenStreamAsync(new TestUser(userOnA.Handle, userOnA.UserId, userOnA.KeyPrefix, userOnA.Token, clientOnB),
            $"{Base(1)}/stream?workflow_id=shared");
        var pushed = System.Diagnostics.Stopwatch.StartNew();
        (await userOnA.Client.PostAsync(Base(1), Json(CliPush("from-a", "shared")))).StatusCode.Should().Be(HttpStatusCode.Created);

        (await stream.NextDataAsync())["session_id"]!.GetValue<string>().Should().Be("from-a");
        pushed.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "instance B reads the changes table every 250 ms");
    }

    private async Task<(ApiHost Host, TestUser User)> SetUpAsync(string database, int project = 1)
    {
        var host = await hosts.For(database);
        return (host, await host.CreateUserAsync(projects: [project]));
    }

    private static async Task<OpenStream> OpenStreamAsync(TestUser user, string url)
    {
        var response = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return new OpenStream(response, SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator());
    }

    private sealed class OpenStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items) : IDisposable
    {
        public HttpResponseMessage Response { get; } = response;

        /// <summary>The next data frame (skipping none: pings are comments and never surface as items).</summary>
        public async Task<JsonObject> NextDataAsync()
        {
            (await items.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
            items.Current.EventType.Should().Be(SseParser.EventTypeDefault);
            return JsonNode.Parse(items.Current.Data)!.AsObject();
        }

        public void Dispose() => Response.Dispose();
    }
}
