using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// JSON that parses but is not well-formed text (lone surrogates, bytes that are not UTF-8, a name
/// twice in one object), in typed fields and in the free-form objects (<c>data</c>,
/// <c>event_plan</c>, <c>payload</c>), is 400 <c>invalid_json</c> naming the place; a charset
/// other than UTF-8 is 415. Either way nothing changes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MalformedJsonTests(ApiHosts hosts)
{
    /// <summary>A body in each of its faulty forms, where the fault sits in <paramref name="path"/>, put as "FAULT" in the template.</summary>
    public static TheoryData<string, string> Faults()
    {
        var data = new TheoryData<string, string>();
        foreach (var database in new Databases())
        {
            foreach (var fault in new[] { "lone high surrogate", "lone low surrogate", "invalid UTF-8", "overlong UTF-8", "encoded surrogate", "duplicate name", "escaped duplicate name", "lone surrogate name" })
            {
                data.Add(database, fault);
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(Faults))]
    public async Task AFaultInConnectorData_Is400NamingIt_AndChangesNothing(string database, string fault)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();
        var created = await (await user.Client.PostAsync("/api/v1/session", Json("""{"data":{"kept":1}}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var path = $"/api/v1/session/{created["sessionId"]}";
        var before = await (await user.Client.GetAsync(path)).Content.ReadAsStringAsync();

        await ShouldBeInvalidJsonAsync(await user.Client.PostAsync("/api/v1/session", Body("""{"data":{"x":{"note":FAULT}}}""", fault)), "data.x.note", fault);
        await ShouldBeInvalidJsonAsync(await user.Client.PutAsync(path, Body("""{"data":{"x":{"note":FAULT}}}""", fault)), "data.x.note", fault);
        await ShouldBeInvalidJsonAsync(await user.Client.PatchAsync(path, Body("""{"data":{"list":[1,{"note":FAULT}]}}""", fault)), "data.list[1].note", fault);
        await ShouldBeInvalidJsonAsync(await user.Client.PostAsync($"/api/v1/session/{Guid.NewGuid()}", Body("""{"data":{"note":FAULT}}""", fault)), "data.note", fault);

        (await (await user.Client.GetAsync(path)).Content.ReadAsStringAsync()).Should().Be(before);
        (await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK))["total"]!.GetValue<int>().Should().Be(1);
    }

    [Theory, MemberData(nameof(Faults))]
    public async Task AFaultInAWizardRunsEventPlan_Is400NamingIt_AndChangesNothing(string database, string fault)
    {
        var project = Random.Shared.Next(10_000, 1_000_000);
        var user = await (await hosts.For(database)).CreateUserAsync(projects: [project]);
        var run = $"run-{Guid.NewGuid():N}";
        var push = """{"session_id":"RUN","workflow_id":"wf","skill_id":"s","started_at":"2026-03-26T10:30:00Z","run_phase":"running","tasks":[],"event_plan":{"events":[{"name":FAULT}]}}""";
        (await user.Client.PostAsync($"/api/projects/{project}/wizard/sessions", Json(push.Replace("RUN", run).Replace("FAULT", "\"ok\"")))).StatusCode
            .Should().Be(HttpStatusCode.Created);
        var before = await (await user.Client.GetAsync($"/api/projects/{project}/wizard/sessions/{run}")).Content.ReadAsStringAsync();

        await ShouldBeInvalidJsonAsync(await user.Client.PostAsync($"/api/projects/{project}/wizard/sessions", Body(push.Replace("RUN", run), fault)),
            "event_plan.events[0].name", fault);
        var fresh = $"run-{Guid.NewGuid():N}";
        await ShouldBeInvalidJsonAsync(await user.Client.PostAsync($"/api/projects/{project}/wizard/sessions", Body(push.Replace("RUN", fresh), fault)),
            "event_plan.events[0].name", fault);

        (await (await user.Client.GetAsync($"/api/projects/{project}/wizard/sessions/{run}")).Content.ReadAsStringAsync()).Should().Be(before);
        (await user.Client.GetAsync($"/api/projects/{project}/wizard/sessions/{fresh}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, MemberData(nameof(Faults))]
    public async Task AFaultInACalculatorPayload_Is400NamingIt_AndChangesNothing(string database, string fault)
    {
        var organisation = $"org_{Guid.NewGuid():N}";
        var user = await (await hosts.For(database)).CreateUserAsync(organisations: [organisation]);
        var created = await (await user.Client.PostAsync("/api/v1/benefit-calculator-sessions",
            Json($$"""{"mentor_id":"m","organisation_id":"{{organisation}}"}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var path = $"/api/v1/benefit-calculator-sessions/{created["session_id"]}";
        var before = await (await user.Client.GetAsync(path)).Content.ReadAsStringAsync();

        var response = await user.Client.PutAsync(path, Body(
            """{"event":"CalculateRequested","payload":{"sessions":1,"avg_minutes":30,"cost_per_session":1,"cost_per_hour":10,"note":FAULT}}""", fault));

        await ShouldBeInvalidJsonAsync(response, "payload.note", fault);
        (await (await user.Client.GetAsync(path)).Content.ReadAsStringAsync()).Should().Be(before);
        (await (await user.Client.GetAsync($"{path}/events")).ShouldBeJsonAsync(HttpStatusCode.OK))["data"]!.AsArray().Should().BeEmpty();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AFaultInATypedField_Is400NamingIt(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();

        var response = await user.Client.PostAsync("/api/v1/wizard-sessions",
            Body("""{"wizard_id":FAULT,"user_id":"u"}""", "lone high surrogate"));

        await ShouldBeInvalidJsonAsync(response, "wizard_id", "lone high surrogate");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ARefusedBody_DoesNotClaimItsIdempotencyKey(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();
        var key = Guid.NewGuid().ToString();

        var refused = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session") { Content = Body("""{"data":{"a":FAULT}}""", "duplicate name") };
        refused.Headers.Add("Idempotency-Key", key);
        await ShouldBeInvalidJsonAsync(await user.Client.SendAsync(refused), "data.a", "duplicate name");
        var valid = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session") { Content = Json("""{"data":{"a":1}}""") };
        valid.Headers.Add("Idempotency-Key", key);

        (await user.Client.SendAsync(valid)).StatusCode.Should().Be(HttpStatusCode.Created, "the refused request left its key unused");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WellFormedText_IsKept_SurrogatePairsAndEscapesIncluded(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();

        var created = await (await user.Client.PostAsync("/api/v1/session",
            Json("""{"data":{"emoji":"\ud83d\ude00","raw":"😀","a":1,"A":2,"nested":{"a":{"a":1}}}}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var read = await (await user.Client.GetAsync($"/api/v1/session/{created["sessionId"]}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        read["data"]!["emoji"]!.GetValue<string>().Should().Be("😀");
        read["data"]!["raw"]!.GetValue<string>().Should().Be("😀");
        read["data"]!["A"]!.GetValue<int>().Should().Be(2, "names differing in case are different names");

        var project = Random.Shared.Next(10_000, 1_000_000);
        var runs = await (await hosts.For(database)).CreateUserAsync(projects: [project]);
        var run = await (await runs.Client.PostAsync($"/api/projects/{project}/wizard/sessions", Json(
                """{"session_id":"r1","workflow_id":"wf","skill_id":"s","started_at":"2026-03-26T10:30:00Z","run_phase":"running","tasks":[],"event_plan":{"step":1,"Step":2}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        run["event_plan"]!.ToJsonString().Should().Contain("\"Step\":2").And.Contain("\"step\":1");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ACharsetOtherThanUtf8_Is415_AndChangesNothing(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();
        const string body = """{"data":{"a":1}}""";

        foreach (var (charset, bytes) in new[]
                 {
                     ("utf-16", Encoding.UTF8.GetBytes(body)), ("utf-16", Encoding.Unicode.GetBytes(body)),
                     ("\"UTF-16LE\"", Encoding.Unicode.GetBytes(body)), ("iso-8859-1", Encoding.Latin1.GetBytes(body)),
                 })
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
            var problem = await (await user.Client.PostAsync("/api/v1/session", content)).ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
            problem["code"]!.GetValue<string>().Should().Be("unsupported_charset");
        }

        foreach (var charset in new[] { "utf-8", "UTF-8", "\"utf-8\"" })
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
            (await user.Client.PostAsync("/api/v1/session", content)).StatusCode.Should().Be(HttpStatusCode.Created, charset);
        }

        (await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK))["total"]!.GetValue<int>().Should().Be(3);
    }

    /// <summary>The template with FAULT replaced by a value (or member) holding the named fault, as raw bytes.</summary>
    private static ByteArrayContent Body(string template, string fault)
    {
        var (before, after) = (template[..template.IndexOf("FAULT", StringComparison.Ordinal)], template[(template.IndexOf("FAULT", StringComparison.Ordinal) + 5)..]);
        byte[] faulty = fault switch
        {
            "lone high surrogate" => "\"a\\ud800b\""u8.ToArray(),
            "lone low surrogate" => "\"\\udc00\""u8.ToArray(),
            "invalid UTF-8" => [(byte)'"', (byte)'a', 0xC3, 0x28, (byte)'"'],
            "overlong UTF-8" => [(byte)'"', 0xC0, 0xAF, (byte)'"'],
            "encoded surrogate" => [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'],
            "duplicate name" => "{\"a\":1,\"a\":2}"u8.ToArray(),
            "escaped duplicate name" => "{\"a\":1,\"\\u0061\":2}"u8.ToArray(),
            "lone surrogate name" => "{\"\\ud800\":1}"u8.ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault),
        };
        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(before), .. faulty, .. Encoding.UTF8.GetBytes(after)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>
    /// 400 invalid_json naming the place of the fault: the faulty string, the object whose name is not
    /// text, or the name that appears a second time (the fault there is an object with "a" twice).
    /// </summary>
    private static async Task ShouldBeInvalidJsonAsync(HttpResponseMessage response, string place, string fault)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem["code"]!.GetValue<string>().Should().Be("invalid_json", fault);
        var expected = fault.EndsWith("duplicate name", StringComparison.Ordinal) ? $"{place}.a" : place;
        problem["errors"]!.AsObject().Select(error => error.Key).Should().Equal([expected], fault);
    }
}
