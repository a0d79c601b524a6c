using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Application.Access.Commands;
using Sessions.Domain.Access;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;
using static Sessions.Api.IntegrationTests.Infrastructure.IdempotentRequests;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// An idempotent replay never shows a response its caller could not read directly: Idempotency-Keys
/// are shared only by a user's API keys with the same scopes and grants, and a key with other grants
/// sending the same Idempotency-Key and body is answered as if it had sent no key.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotentReplayGrantsTests(ApiHosts hosts)
{
    private const string Connection =
        """{"display_name":"tenant only","base_url":"https://192.31.196.1","auth_mode":"client_secret","client_id":"c","client_secret":"sample-secret-0123456789"}""";

    [Theory, ClassData(typeof(Databases))]
    public async Task AKeyWithOtherTenants_DoesNotReplayAnotherKeysResponse(string database)
    {
        var host = await hosts.For(database);
        var (granted, other) = (Random.Shared.Next(10_000, 1_000_000), Random.Shared.Next(1_000_000, 2_000_000));
        var wide = await host.CreateUserAsync(tenants: [granted]);
        var narrow = await SecondKeyAsync(host, wide, tenants: [other]);
        var key = Guid.NewGuid().ToString();

        var first = await wide.Client.SendAsync(IdempotentPost($"/tenants/{granted}/provider-connections", Connection, key));
        (await first.ShouldBeJsonAsync(HttpStatusCode.Created))["display_name"]!.GetValue<string>().Should().Be("tenant only");

        var replayAttempt = await narrow.SendAsync(IdempotentPost($"/tenants/{granted}/provider-connections", Connection, key));
        var direct = await narrow.GetAsync($"/tenants/{granted}/provider-connections");

        await replayAttempt.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        replayAttempt.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        (await replayAttempt.Content.ReadAsStringAsync()).Should().NotContain("tenant only");
        await direct.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await (await wide.Client.GetAsync($"/tenants/{granted}/provider-connections")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Should().ContainSingle("the refused attempt created nothing");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AKeyWithOtherProjects_DoesNotReplayAnotherKeysWizardRun(string database)
    {
        var host = await hosts.For(database);
        var (granted, other) = (Random.Shared.Next(10_000, 1_000_000), Random.Shared.Next(1_000_000, 2_000_000));
        var wide = await host.CreateUserAsync(projects: [granted]);
        var narrow = await SecondKeyAsync(host, wide, projects: [other]);
        var key = Guid.NewGuid().ToString();
        var push = $$"""{"session_id":"{{Guid.NewGuid():N}}","workflow_id":"wf","skill_id":"s","started_at":"2026-03-26T10:30:00Z","run_phase":"running","tasks":[],"handoff_text":"project only"}""";

        (await wide.Client.SendAsync(IdempotentPost($"/api/projects/{granted}/wizard/sessions", push, key))).StatusCode.Should().Be(HttpStatusCode.Created);
        var replayAttempt = await narrow.SendAsync(IdempotentPost($"/api/projects/{granted}/wizard/sessions", push, key));

        await replayAttempt.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        (await replayAttempt.Content.ReadAsStringAsync()).Should().NotContain("project only");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AKeyWithTheSameGrants_ReplaysTheResponse_AndActsOnce(string database)
    {
        var host = await hosts.For(database);
        var tenant = Random.Shared.Next(10_000, 1_000_000);
        var first = await host.CreateUserAsync(tenants: [tenant]);
        var rotated = await SecondKeyAsync(host, first, tenants: [tenant]);
        var key = Guid.NewGuid().ToString();

        var original = await first.Client.SendAsync(IdempotentPost($"/tenants/{tenant}/provider-connections", Connection, key));
        var replay = await rotated.SendAsync(IdempotentPost($"/tenants/{tenant}/provider-connections", Connection, key));

        var body = await replay.ShouldBeJsonAsync(HttpStatusCode.Created);
        replay.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        body["id"]!.ToString().Should().Be((await original.ShouldBeJsonAsync(HttpStatusCode.Created))["id"]!.ToString());
        (await (await rotated.GetAsync($"/tenants/{tenant}/provider-connections")).ShouldBeJsonArrayAsync(HttpStatusCode.OK)).Should().ContainSingle();
    }

    /// <summary>Another API key of the same user, with every scope and the given grants.</summary>
    private static async Task<HttpClient> SecondKeyAsync(ApiHost host, TestUser user, int[]? projects = null, int[]? tenants = null)
    {
        var created = await host.SendAsync(new CreateApiKeyCommand(user.Handle, Scopes.All, projects, tenants));
        created.UserId.Should().Be(user.UserId, "the second key belongs to the same user");
        return host.CreateClient(created.Token);
    }
}
