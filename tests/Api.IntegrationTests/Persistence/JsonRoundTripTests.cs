using System.Net;
using System.Text.Json;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Persistence;

/// <summary>
/// Free-form JSON comes back exactly as it was sent, on every database: numbers keep their spelling
/// (PostgreSQL's <c>jsonb</c> would turn <c>1E2</c> into <c>100</c>), keys their order, and nothing grows on
/// the way out (<c>jsonb</c> reads <c>1e131071</c>, 8 bytes, back as 131 072 digits).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class JsonRoundTripTests(ApiHosts hosts)
{
    /// <summary>Number spellings a database that parses JSON would rewrite: each must come back as written.</summary>
    private static readonly string[] Spellings = ["-0", "1E2", "1e-400", "1e131071", "0.1000", "-1.5e+3", "12345678901234567890123456789"];

    /// <summary>Keys in an order no database sorts them into by itself.</summary>
    private static readonly string SpelledObject =
        "{" + string.Join(",", Spellings.Select((number, i) => $"\"z{Spellings.Length - i}\":{number}")) + ",\"nested\":{\"b\":[1E2,-0],\"a\":1e-400}}";

    private const int AmplificationNumbers = 100;

    /// <summary>About 1.5 KB: a hundred numbers of 131 072 digits each once a database expands them.</summary>
    private static readonly string AmplifyingObject =
        "{" + string.Join(",", Enumerable.Range(0, AmplificationNumbers).Select(i => $"\"k{i}\":1e131071")) + "}";

    [Theory, ClassData(typeof(Databases))]
    public async Task ConnectorData_ComesBackAsSent(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();
        var id = (await (await user.Client.PostAsync("/api/v1/session", Json($$"""{"data":{{SpelledObject}}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.Created))["sessionId"]!.GetValue<string>();
        (await RawPropertyAsync(user.Client, $"/api/v1/session/{id}", "data")).Should().Be(SpelledObject);

        // A shallow merge keeps the spelling of the keys it did not touch and of the ones it brings.
        (await user.Client.PatchAsync($"/api/v1/session/{id}", Json("""{"data":{"z1":1E+2,"added":-0.0}}"""))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await RawPropertyAsync(user.Client, $"/api/v1/session/{id}", "data")).Should().Be(
            SpelledObject.Replace("\"z1\":12345678901234567890123456789", "\"z1\":1E+2").TrimEnd('}') + "},\"added\":-0.0}");

        (await user.Client.PutAsync($"/api/v1/session/{id}", Json($$"""{"data":{{SpelledObject}}}"""))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await RawPropertyAsync(user.Client, $"/api/v1/session/{id}", "data")).Should().Be(SpelledObject);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WizardRunObjects_ComeBackAsSent_InEveryView(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync(projects: [19]);
        var workflow = $"json-{Guid.NewGuid():N}";
        using var stream = await EventStream.OpenAsync(user.Client, $"/api/projects/19/wizard/sessions/stream?workflow_id={workflow}");
        (await user.Client.PostAsync("/api/projects/19/wizard/sessions", Json(RunPush("spelled", workflow, SpelledObject))))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        foreach (var view in RunViews("spelled", workflow))
        {
            foreach (var field in new[] { "event_plan", "error" })
            {
                (await RawPropertyAsync(user.Client, view.Url, field, view.Run)).Should().Be(SpelledObject, $"{field} in {view.Url}");
            }
        }

        var frame = JsonDocument.Parse((await stream.NextAsync(TimeSpan.FromSeconds(10)))!.Value.Data).RootElement;
        frame.GetProperty("event_plan").GetRawText().Should().Be(SpelledObject, "a stream frame carries the run as sent");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task CalculatorEventLog_KeepsThePayloadNumbersAsSent(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync(organisations: ["org_json"]);
        var id = (await (await user.Client.PostAsync("/api/v1/benefit-calculator-sessions", Json("""{"mentor_id":"m","organisation_id":"org_json"}""")))
            .ShouldBeJsonAsync(HttpStatusCode.Created))["session_id"]!.GetValue<string>();
        const string payload = """{"sessions":1E2,"avg_minutes":0.1000,"cost_per_session":-0,"cost_per_hour":12.50}""";

        (await user.Client.PutAsync($"/api/v1/benefit-calculator-sessions/{id}", Json($$"""{"event":"CalculateRequested","payload":{{payload}}}""")))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        using var log = JsonDocument.Parse(await (await user.Client.GetAsync($"/api/v1/benefit-calculator-sessions/{id}/events")).Content.ReadAsStringAsync());
        log.RootElement.GetProperty("data")[0].GetProperty("payload").GetRawText().Should().Be(payload);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task HugeExponents_ReadBackAtTheSizeSent(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync(projects: [19]);
        var sent = $$"""{"data":{{AmplifyingObject}}}""";
        var id = (await (await user.Client.PostAsync("/api/v1/session", Json(sent))).ShouldBeJsonAsync(HttpStatusCode.Created))["sessionId"]!.GetValue<string>();
        await ShouldBeAboutTheSizeSentAsync(user.Client, $"/api/v1/session/{id}", sent.Length);

        var workflow = $"amplify-{Guid.NewGuid():N}";
        using var stream = await EventStream.OpenAsync(user.Client, $"/api/projects/19/wizard/sessions/stream?workflow_id={workflow}");
        var push = RunPush("amplified", workflow, AmplifyingObject);
        (await user.Client.PostAsync("/api/projects/19/wizard/sessions", Json(push))).StatusCode.Should().Be(HttpStatusCode.Created);
        foreach (var view in RunViews("amplified", workflow))
        {
            await ShouldBeAboutTheSizeSentAsync(user.Client, view.Url, push.Length);
        }

        var frame = (await stream.NextAsync(TimeSpan.FromSeconds(10)))!.Value;
        frame.Data.Length.Should().BeLessThan(push.Length + 1024, "a stream frame is the run as sent, not its numbers expanded");
    }

    /// <summary>A run push whose two free-form objects are both <paramref name="json"/>.</summary>
    private static string RunPush(string sessionId, string workflow, string json) => $$"""
        {"session_id":"{{sessionId}}","workflow_id":"{{workflow}}","skill_id":"nextjs","started_at":"2026-12-01T10:00:00Z",
         "run_phase":"running","tasks":[],"event_plan":{{json}},"error":{{json}},"pending_input":null}
        """;

    /// <summary>Every read that serves a run: by id, latest, and the list (where the run is the first result).</summary>
    private static (string Url, Func<JsonElement, JsonElement> Run)[] RunViews(string sessionId, string workflow) =>
    [
        ($"/api/projects/19/wizard/sessions/{sessionId}?workflow_id={workflow}", body => body),
        ($"/api/projects/19/wizard/sessions/latest?workflow_id={workflow}", body => body),
        ($"/api/projects/19/wizard/sessions?workflow_id={workflow}", body => body.GetProperty("results")[0]),
    ];

    /// <summary>The exact text the service wrote for one property of the answer (or of the part <paramref name="select"/> picks).</summary>
    private static async Task<string> RawPropertyAsync(HttpClient client, string url, string property, Func<JsonElement, JsonElement>? select = null)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        return (select ?? (body => body))(document.RootElement).GetProperty(property).GetRawText();
    }

    private static async Task ShouldBeAboutTheSizeSentAsync(HttpClient client, string url, int sentLength)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsByteArrayAsync();
        body.Length.Should().BeLessThan(sentLength + 1024, $"{url} serves the {AmplificationNumbers} numbers as sent ({sentLength} bytes), not expanded");
    }
}
