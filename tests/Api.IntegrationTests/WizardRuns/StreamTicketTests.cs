using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Application.Access.Commands;
using Sessions.Domain.Access;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.WizardRuns;

/// <summary>
/// Stream tickets: what a browser's EventSource, which cannot send an Authorization header, opens a project's
/// run stream with. A ticket opens that stream only, while it lives and while its key is usable.
/// </summary>
public sealed class StreamTicketTests
{
    private const string Runs = "/api/projects/1/wizard/sessions";

    [Theory, ClassData(typeof(Databases))]
    public async Task ATicket_OpensItsProjectsStream_WithoutAHeader_AndTheStreamHearsUpserts(string database)
    {
        await using var host = await ApiHost.StartAsync(database);
        var user = await host.CreateUserAsync(scopes: [Scopes.WizardSessionRead, Scopes.WizardSessionWrite], projects: [1]);

        var before = host.Clock.GetUtcNow();
        var issued = await (await user.Client.PostAsync($"{Runs}/stream-tickets", null)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var after = host.Clock.GetUtcNow();
        var ticket = issued["ticket"]!.GetValue<string>();
        ticket.Should().StartWith("sst_").And.HaveLength(StreamTicket.TextLength);

        // Ten minutes from when it was issued; the wire states whole seconds.
        issued["expires_at"]!.GetValue<DateTimeOffset>().Should()
            .BeOnOrAfter(before.AddMinutes(10).AddSeconds(-1)).And.BeOnOrBefore(after.AddMinutes(10));

        using var browser = host.CreateClient(token: null);
        using var stream = await EventStream.OpenAsync(browser, $"{Runs}/stream?workflow_id=ticketed&ticket={ticket}");
        stream.Response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");

        await (await user.Client.PostAsync(Runs, Json(WizardRunsApiTests.CliPush($"ticketed-{Guid.NewGuid():N}", workflow: "ticketed"))))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var frame = (await stream.NextAsync(TimeSpan.FromSeconds(5)))!.Value;
        frame.EventType.Should().Be(SseParser.EventTypeDefault);
        JsonNode.Parse(frame.Data)!["workflow_id"]!.GetValue<string>().Should().Be("ticketed");

        // A second ticket is a new one, and the first still works.
        var second = await (await user.Client.PostAsync($"{Runs}/stream-tickets", null)).ShouldBeJsonAsync(HttpStatusCode.Created);
        second["ticket"]!.GetValue<string>().Should().NotBe(ticket);
        using var again = await EventStream.OpenAsync(browser, $"{Runs}/stream?workflow_id=ticketed&ticket={ticket}");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ATicket_OpensNothingElse_AndOnlyWhileItAndItsKeyLive(string database)
    {
        await using var host = await ApiHost.StartAsync(database);
        var user = await host.CreateUserAsync(projects: [1, 2]);
        var ticket = (await (await user.Client.PostAsync($"{Runs}/stream-tickets", null)).ShouldBeJsonAsync(HttpStatusCode.Created))["ticket"]!
            .GetValue<string>();
        using var browser = host.CreateClient(token: null);

        // Another route of the same project, the same stream of another project the key may read, any other module.
        foreach (var url in new[]
                 {
                     $"{Runs}?ticket={ticket}",
                     $"{Runs}/latest?workflow_id=w&ticket={ticket}",
                     $"/api/projects/2/wizard/sessions/stream?workflow_id=w&ticket={ticket}",
                     $"/api/v1/session?ticket={ticket}",
                 })
        {
            var refused = await (await browser.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
            refused["detail"]!.GetValue<string>().Should().NotContain(ticket);
        }

        (await browser.PostAsync($"{Runs}/stream-tickets?ticket={ticket}", null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "a ticket cannot mint tickets");

        // A made-up ticket of the right shape, one of the wrong shape, and an empty one.
        foreach (var forged in new[] { "sst_" + new string('A', 43), "sst_short", "" })
        {
            await (await browser.GetAsync($"{Runs}/stream?workflow_id=w&ticket={forged}")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        }

        // Past its lifetime it opens nothing.
        host.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await (await browser.GetAsync($"{Runs}/stream?workflow_id=w&ticket={ticket}")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // A live ticket of a key revoked since opens nothing either.
        var live = (await (await user.Client.PostAsync($"{Runs}/stream-tickets", null)).ShouldBeJsonAsync(HttpStatusCode.Created))["ticket"]!
            .GetValue<string>();
        using (var open = await EventStream.OpenAsync(browser, $"{Runs}/stream?workflow_id=w&ticket={live}"))
        {
        }

        await host.SendAsync(new RevokeApiKeyCommand(user.KeyPrefix));
        await (await browser.GetAsync($"{Runs}/stream?workflow_id=w&ticket={live}")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task OnlyAKeyThatMayReadTheProjectsRuns_GetsATicket(string database)
    {
        await using var host = await ApiHost.StartAsync(database);
        var stranger = await host.CreateUserAsync(projects: [2]);
        var writerOnly = await host.CreateUserAsync(scopes: [Scopes.WizardSessionWrite], projects: [1]);
        using var anonymous = host.CreateClient(token: null);

        await (await stranger.Client.PostAsync($"{Runs}/stream-tickets", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await writerOnly.Client.PostAsync($"{Runs}/stream-tickets", null)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await anonymous.PostAsync($"{Runs}/stream-tickets", null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ATicket_NeverReachesALog_EvenWithEveryLogLineOn(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" });
        var user = await host.CreateUserAsync(projects: [1]);
        var ticket = (await (await user.Client.PostAsync($"{Runs}/stream-tickets", null)).ShouldBeJsonAsync(HttpStatusCode.Created))["ticket"]!
            .GetValue<string>();
        using var browser = host.CreateClient(token: null);

        using (var stream = await EventStream.OpenAsync(browser, $"{Runs}/stream?workflow_id=logged&ticket={ticket}"))
        {
        }

        await (await browser.GetAsync($"{Runs}?ticket={ticket}")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        host.Logs.Should().Contain(line => line.Contains("/stream", StringComparison.Ordinal), "the requests were logged at all");
        host.Logs.Where(line => line.Contains(ticket, StringComparison.Ordinal)).Should().BeEmpty();
    }
}
