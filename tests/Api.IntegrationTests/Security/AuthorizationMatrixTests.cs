using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Domain.Access;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// Every route of the running service, three ways: without a key (401), with a key lacking the
/// route's scope (403), and with another user's key on the owner's resources (404, or an answer
/// that holds nothing of the owner's). A route without an entry in <see cref="Expectations"/> fails the test.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiHosts hosts)
{
    private enum Stranger
    {
        /// <summary>The owner's resource does not exist for the stranger.</summary>
        NotFound,

        /// <summary>A collection or lookup that answers, with nothing of the owner's in it.</summary>
        SeesNothing,

        /// <summary>Acting for the owner (their handle or organisation) is refused.</summary>
        Forbidden,
    }

    /// <summary>What each route must do for a stranger; the key is "METHOD template" as routed.</summary>
    private static readonly Dictionary<string, Stranger> Expectations = new()
    {
        ["GET api/v1/session"] = Stranger.SeesNothing,
        ["POST api/v1/session"] = Stranger.SeesNothing,
        ["POST api/v1/session/{sessionId}"] = Stranger.SeesNothing,
        ["GET api/v1/session/{sessionId}"] = Stranger.NotFound,
        ["HEAD api/v1/session/{sessionId}"] = Stranger.NotFound,
        ["PATCH api/v1/session/{sessionId}"] = Stranger.NotFound,
        ["PUT api/v1/session/{sessionId}"] = Stranger.NotFound,
        ["DELETE api/v1/session/{sessionId}"] = Stranger.NotFound,

        ["GET api/v1/wizards"] = Stranger.SeesNothing,
        ["GET api/v1/wizards/{wizardId}"] = Stranger.SeesNothing,
        ["GET api/v1/wizard-sessions"] = Stranger.SeesNothing,
        ["POST api/v1/wizard-sessions"] = Stranger.Forbidden,
        ["GET api/v1/wizard-sessions/{sessionId}"] = Stranger.NotFound,
        ["PUT api/v1/wizard-sessions/{sessionId}"] = Stranger.NotFound,
        ["DELETE api/v1/wizard-sessions/{sessionId}"] = Stranger.NotFound,
        ["POST api/v1/wizard-sessions/{sessionId}/next-step"] = Stranger.NotFound,
        ["POST api/v1/wizard-sessions/{sessionId}/previous-step"] = Stranger.NotFound,
        ["POST api/v1/wizard-sessions/{sessionId}/save-draft"] = Stranger.NotFound,

        ["GET api/projects/{projectId}/wizard/sessions"] = Stranger.SeesNothing,
        ["POST api/projects/{projectId}/wizard/sessions"] = Stranger.NotFound,
        ["GET api/projects/{projectId}/wizard/sessions/latest"] = Stranger.SeesNothing,
        ["GET api/projects/{projectId}/wizard/sessions/stream"] = Stranger.NotFound,
        ["GET api/projects/{projectId}/wizard/sessions/{sessionId}"] = Stranger.NotFound,

        ["GET api/v1/benefit-calculator-sessions"] = Stranger.SeesNothing,
        ["POST api/v1/benefit-calculator-sessions"] = Stranger.Forbidden,
        ["GET api/v1/benefit-calculator-sessions/{sessionId}"] = Stranger.NotFound,
        ["PUT api/v1/benefit-calculator-sessions/{sessionId}"] = Stranger.NotFound,
        ["DELETE api/v1/benefit-calculator-sessions/{sessionId}"] = Stranger.NotFound,
        ["GET api/v1/benefit-calculator-sessions/{sessionId}/events"] = Stranger.NotFound,
        ["GET api/v1/benefit-calculator-results/{resultId}"] = Stranger.NotFound,

        ["POST tenants/{tenantId}/provider-connections"] = Stranger.NotFound,
        ["GET tenants/{tenantId}/provider-connections"] = Stranger.NotFound,
        ["GET tenants/{tenantId}/onboarding/session"] = Stranger.NotFound,
        ["POST tenants/{tenantId}/onboarding/session"] = Stranger.NotFound,
        ["PATCH tenants/{tenantId}/onboarding/session/{sessionId}"] = Stranger.NotFound,
        ["GET tenants/{tenantId}/onboarding/tasks"] = Stranger.NotFound,
        ["POST tenants/{tenantId}/onboarding/tasks/{taskType}/runs"] = Stranger.NotFound,
        ["GET tenants/{tenantId}/onboarding/evidence"] = Stranger.NotFound,
        ["GET tenants/{tenantId}/operation-runs/{runId}"] = Stranger.NotFound,
    };

    [Fact]
    public async Task EveryRoute_HasAnEntry()
    {
        var served = await ServedRoutesAsync();

        served.Select(r => r.Key).Should().BeEquivalentTo(Expectations.Keys, "a new route must say what a stranger gets");
        served.Select(r => r.Key).Should().BeEquivalentTo(RouteSamples.All.Keys, "a new route needs a valid sample request");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WithoutAKey_EveryRouteIs401(string database)
    {
        var host = await hosts.For(database);
        var world = await OwnedResources.CreateAsync(host);
        var anonymous = host.CreateClient(token: null);

        foreach (var (route, _) in await ServedRoutesAsync())
        {
            var response = await anonymous.SendAsync(world.Request(route, RouteSamples.All[route]));
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, route);
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WithoutTheScope_EveryRouteIs403(string database)
    {
        var host = await hosts.For(database);
        var world = await OwnedResources.CreateAsync(host);

        foreach (var (route, scope) in await ServedRoutesAsync())
        {
            var lacking = await host.CreateUserAsync(scopes: Scopes.All.Where(s => s != scope).ToArray(),
                projects: [world.Project], tenants: [world.Tenant], organisations: [world.Organisation]);
            var response = await lacking.Client.SendAsync(world.Request(route, RouteSamples.All[route]));
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, route);
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AStranger_NeverSeesTheOwnersResources(string database)
    {
        var host = await hosts.For(database);
        var world = await OwnedResources.CreateAsync(host);
        var stranger = await host.CreateUserAsync(projects: [world.Project + 1], tenants: [world.Tenant + 1], organisations: ["org_other"]);
        var sent = new System.Text.StringBuilder();

        foreach (var (route, _) in await ServedRoutesAsync())
        {
            var expected = Expectations[route];
            var request = world.Request(route, RouteSamples.All[route]);
            sent.Append(request.RequestUri).Append(request.Content is null ? "" : await request.Content.ReadAsStringAsync());
            var response = await stranger.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            switch (expected)
            {
                case Stranger.NotFound:
                    response.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{route}: {body}");
                    break;
                case Stranger.Forbidden:
                    response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{route}: {body}");
                    break;
                default:
                    ((int)response.StatusCode).Should().BeLessThan(300, $"{route}: {body}");
                    break;
            }

            // Whatever the stranger has sent may be echoed back (a 404 names the id asked for, a session
            // the stranger created under the same id is theirs); anything else of the owner's must not
            // appear (small integer ids are too common to search for).
            foreach (var secret in world.Values.Values.Where(value => value.Length >= 8 && !sent.ToString().Contains(value, StringComparison.Ordinal)))
            {
                body.Should().NotContain(secret, $"{route} must not show the owner's {secret}");
            }
        }
    }

    private async Task<List<KeyValuePair<string, string>>> ServedRoutesAsync() => RouteSamples.Served(await hosts.For(Databases.Sqlite));
}
