using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Application.Access.Commands;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.WizardRuns;

/// <summary>What bounds a stream besides its lifetime: a per-key cap, and the key staying usable.</summary>
public sealed class StreamLimitTests
{
    private const string Runs = "/api/projects/1/wizard/sessions";

    [Theory, ClassData(typeof(Databases))]
    public async Task OneKey_PastItsStreamCap_Gets429WithRetryAfter_WhileAnotherUserOfTheProjectStillStreams(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:WizardRuns:MaxStreamsPerKey"] = "2",
            ["Sessions:WizardRuns:MaxStreams"] = "3",
        });
        var greedy = await host.CreateUserAsync(projects: [1]);
        var other = await host.CreateUserAsync(projects: [1]);
        var url = $"{Runs}/stream?workflow_id=capped";

        var first = await EventStream.OpenAsync(greedy.Client, url);
        using var second = await EventStream.OpenAsync(greedy.Client, url);
        var refused = await greedy.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead);

        (await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests))["code"]!.GetValue<string>().Should().Be("stream_limit_per_key");
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5));

        // The process has room for one more, and it is the other user's: it streams as usual.
        using var others = await EventStream.OpenAsync(other.Client, url);
        await (await other.Client.PostAsync(Runs, Json(WizardRunsApiTests.CliPush($"capped-{Guid.NewGuid():N}", workflow: "capped"))))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        (await others.NextAsync(TimeSpan.FromSeconds(5)))!.Value.EventType.Should().Be(SseParser.EventTypeDefault);

        // A stream the greedy key closes gives its place back to that key.
        first.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        HttpResponseMessage again;
        while ((again = await greedy.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead))
               .StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            again.Dispose();
            await Task.Delay(50);
        }

        using (again)
        {
            again.StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AStreamWhoseKeyIsRevokedElsewhere_EndsWithinTheKeyCacheLifetime(string database)
    {
        await using var host = await ApiHost.StartAsync(database, ShortKeyCache);
        var user = await host.CreateUserAsync(projects: [1]);
        using var stream = await EventStream.OpenAsync(user.Client, $"{Runs}/stream?workflow_id=revoked");

        // Revoked through another instance, as `keys revoke` or a second process does: this one learns it only by reading.
        await using var elsewhere = await ApiHost.SharingDatabaseOf(host);
        await elsewhere.SendAsync(new RevokeApiKeyCommand(user.KeyPrefix));
        var revoked = Stopwatch.StartNew();

        await ShouldEndAsync(stream, revoked);
        await (await user.Client.GetAsync($"{Runs}/stream?workflow_id=revoked")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AStreamWhoseKeyExpires_EndsWithinTheKeyCacheLifetime(string database)
    {
        await using var host = await ApiHost.StartAsync(database, ShortKeyCache);
        var user = await host.CreateUserAsync(projects: [1], expiresInDays: 1);
        var staying = await host.CreateUserAsync(projects: [1]);
        using var stream = await EventStream.OpenAsync(user.Client, $"{Runs}/stream?workflow_id=expiring");
        using var unaffected = await EventStream.OpenAsync(staying.Client, $"{Runs}/stream?workflow_id=expiring");

        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        var expired = Stopwatch.StartNew();

        await ShouldEndAsync(stream, expired);
        await (await staying.Client.PostAsync(Runs, Json(WizardRunsApiTests.CliPush($"expiring-{Guid.NewGuid():N}", workflow: "expiring"))))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var frame = (await unaffected.NextAsync(TimeSpan.FromSeconds(5)))!.Value;
        frame.EventType.Should().Be(SseParser.EventTypeDefault, "a stream whose key is still usable goes on");
        JsonNode.Parse(frame.Data)!["workflow_id"]!.GetValue<string>().Should().Be("expiring");
    }

    /// <summary>A key cache lifetime of one second, so the test waits seconds rather than the default ten.</summary>
    private static readonly Dictionary<string, string?> ShortKeyCache = new() { ["Sessions:Api:KeyCache:Lifetime"] = "00:00:01" };

    /// <summary>The stream sends <c>event: end</c> and closes within the lifetime (one second) and a margin for the check's read.</summary>
    private static async Task ShouldEndAsync(EventStream stream, Stopwatch since)
    {
        var end = await stream.NextAsync(TimeSpan.FromSeconds(5));
        end.Should().NotBeNull();
        end!.Value.EventType.Should().Be("end");
        since.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2.5));
        (await stream.NextAsync(TimeSpan.FromSeconds(5))).Should().BeNull("the stream closes after its end event");
    }
}
