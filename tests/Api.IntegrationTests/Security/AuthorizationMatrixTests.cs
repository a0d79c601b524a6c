using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Domain.Access;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// Every route of the running service, three ways: without a key (401), with a key lacking the
/// route's scope (403), and with another user's key on the owner's resources (404, or an answer
/// that holds nothing of the owner's). A route without an entry in <see cref="Routes"/> fails the test.
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

    /// <param name="OwnId">The route names a new resource of the caller's own: it gets a fresh id
    /// (creating one under the owner's id would give the stranger a resource of that id).</param>
    private sealed record Route(Stranger Stranger, string? Body = null, bool OwnId = false);

    private const string WizardRunPush = """
        {"session_id":"{runSession}","workflow_id":"wf","skill_id":"nextjs","started_at":"2026-03-26T10:30:00Z","run_phase":"running","tasks":[]}
        """;

    /// <summary>What each route must do for a stranger; the key is "METHOD template" as routed.</summary>
    private static readonly Dictionary<string, Route> Routes = new()
    {
        ["GET api/v1/session"] = new(Stranger.SeesNothing),
        ["POST api/v1/session"] = new(Stranger.SeesNothing, """{"data":{}}"""),
        ["POST api/v1/session/{sessionId}"] = new(Stranger.SeesNothing, """{"data":{}}""", OwnId: true),
        ["GET api/v1/session/{sessionId}"] = new(Stranger.NotFound),
        ["HEAD api/v1/session/{sessionId}"] = new(Stranger.NotFound),
        ["PATCH api/v1/session/{sessionId}"] = new(Stranger.NotFound, """{"data":{"x":1}}"""),
        ["PUT api/v1/session/{sessionId}"] = new(Stranger.NotFound, """{"data":{"x":1}}"""),
        ["DELETE api/v1/session/{sessionId}"] = new(Stranger.NotFound),

        ["GET api/v1/wizards"] = new(Stranger.SeesNothing),
        ["GET api/v1/wizards/{wizardId}"] = new(Stranger.SeesNothing),
        ["GET api/v1/wizard-sessions"] = new(Stranger.SeesNothing),
        ["POST api/v1/wizard-sessions"] = new(Stranger.Forbidden, """{"wizard_id":"onboarding-wizard-v3","user_id":"{ownerHandle}"}"""),
        ["GET api/v1/wizard-sessions/{sessionId}"] = new(Stranger.NotFound),
        ["PUT api/v1/wizard-sessions/{sessionId}"] = new(Stranger.NotFound, """{"action":"save","answers":{}}"""),
        ["DELETE api/v1/wizard-sessions/{sessionId}"] = new(Stranger.NotFound),
        ["POST api/v1/wizard-sessions/{sessionId}/next-step"] = new(Stranger.NotFound, "{}"),
        ["POST api/v1/wizard-sessions/{sessionId}/previous-step"] = new(Stranger.NotFound),
        ["POST api/v1/wizard-sessions/{sessionId}/save-draft"] = new(Stranger.NotFound, """{"answers":{}}"""),

        ["GET api/projects/{projectId}/wizard/sessions"] = new(Stranger.SeesNothing),
        ["POST api/projects/{projectId}/wizard/sessions"] = new(Stranger.NotFound, WizardRunPush),
        ["GET api/projects/{projectId}/wizard/sessions/latest"] = new(Stranger.SeesNothing),
        ["GET api/projects/{projectId}/wizard/sessions/stream"] = new(Stranger.NotFound),
        ["GET api/projects/{projectId}/wizard/sessions/{sessionId}"] = new(Stranger.NotFound),

        ["GET api/v1/benefit-calculator-sessions"] = new(Stranger.SeesNothing),
        ["POST api/v1/benefit-calculator-sessions"] = new(Stranger.Forbidden, """{"mentor_id":"m","organisation_id":"{organisation}"}"""),
        ["GET api/v1/benefit-calculator-sessions/{sessionId}"] = new(Stranger.NotFound),
        ["PUT api/v1/benefit-calculator-sessions/{sessionId}"] = new(Stranger.NotFound, """{"event":"ResetRequested"}"""),
        ["DELETE api/v1/benefit-calculator-sessions/{sessionId}"] = new(Stranger.NotFound),
        ["GET api/v1/benefit-calculator-sessions/{sessionId}/events"] = new(Stranger.NotFound),
        ["GET api/v1/benefit-calculator-results/{resultId}"] = new(Stranger.NotFound),

        ["POST tenants/{tenantId}/provider-connections"] = new(Stranger.NotFound,
            """{"display_name":"x","base_url":"https://203.0.113.10","auth_mode":"client_secret","client_id":"c","client_secret":"s"}"""),
        ["GET tenants/{tenantId}/provider-connections"] = new(Stranger.NotFound),
        ["GET tenants/{tenantId}/onboarding/session"] = new(Stranger.NotFound),
        ["POST tenants/{tenantId}/onboarding/session"] = new(Stranger.NotFound),
        ["PATCH tenants/{tenantId}/onboarding/session/{sessionId}"] = new(Stranger.NotFound, """{"current_step":2}"""),
        ["GET tenants/{tenantId}/onboarding/tasks"] = new(Stranger.NotFound),
        ["POST tenants/{tenantId}/onboarding/tasks/{taskType}/runs"] = new(Stranger.NotFound),
        ["GET tenants/{tenantId}/onboarding/evidence"] = new(Stranger.NotFound),
        ["GET tenants/{tenantId}/operation-runs/{runId}"] = new(Stranger.NotFound),
    };

    [Fact]
    public async Task EveryRoute_HasAnEntry()
    {
        var served = await ServedRoutesAsync();

        served.Select(r => r.Key).Should().BeEquivalentTo(Routes.Keys, "a new route must say what a stranger gets");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WithoutAKey_EveryRouteIs401(string database)
    {
        var host = await hosts.For(database);
        var world = await World.CreateAsync(host);
        var anonymous = host.CreateClient(token: null);

        foreach (var (route, _) in await ServedRoutesAsync())
        {
            var response = await anonymous.SendAsync(world.Request(route, Routes[route]));
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, route);
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WithoutTheScope_EveryRouteIs403(string database)
    {
        var host = await hosts.For(database);
        var world = await World.CreateAsync(host);

        foreach (var (route, scope) in await ServedRoutesAsync())
        {
            var lacking = await host.CreateUserAsync(scopes: Scopes.All.Where(s => s != scope).ToArray(),
                projects: [world.Project], tenants: [world.Tenant], organisations: [world.Organisation]);
            var response = await lacking.Client.SendAsync(world.Request(route, Routes[route]));
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, route);
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AStranger_NeverSeesTheOwnersResources(string database)
    {
        var host = await hosts.For(database);
        var world = await World.CreateAsync(host);
        var stranger = await host.CreateUserAsync(projects: [world.Project + 1], tenants: [world.Tenant + 1], organisations: ["org_other"]);
        var sent = new System.Text.StringBuilder();

        foreach (var (route, _) in await ServedRoutesAsync())
        {
            var expected = Routes[route];
            var request = world.Request(route, expected);
            sent.Append(request.RequestUri).Append(request.Content is null ? "" : await request.Content.ReadAsStringAsync());
            var response = await stranger.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            switch (expected.Stranger)
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

    private async Task<List<KeyValuePair<string, string>>> ServedRoutesAsync()
    {
        var host = await hosts.For(Databases.Sqlite);
        return host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ControllerActionDescriptor>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(method => new KeyValuePair<string, string>(
                $"{method} {Regex.Replace(e.RoutePattern.RawText!, @"\{([^}:]+)(:[^}]+)?\}", "{$1}")}",
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Last(p => p is not null)!)))
            .ToList();
    }

    /// <summary>An owner with one resource in every module, and the values a stranger must never see.</summary>
    private sealed class World
    {
        public required TestUser Owner { get; init; }
        public required int Project { get; init; }
        public required int Tenant { get; init; }
        public required string Organisation { get; init; }
        public required Dictionary<string, string> Values { get; init; }

        public static async Task<World> CreateAsync(ApiHost host)
        {
            var project = Random.Shared.Next(10_000, 1_000_000);
            var tenant = Random.Shared.Next(10_000, 1_000_000);
            var organisation = $"org_{Guid.NewGuid():N}";
            var owner = await host.CreateUserAsync(projects: [project], tenants: [tenant], organisations: [organisation]);
            var values = new Dictionary<string, string> { ["ownerHandle"] = owner.Handle, ["organisation"] = organisation };

            var marker = $"owner-only-{Guid.NewGuid():N}";
            values["marker"] = marker;
            values["connectorSession"] = (await Post(owner, "/api/v1/session", $$$"""{"data":{"note":"{{{marker}}}"}}"""))["sessionId"]!.GetValue<string>();
            values["wizardSession"] = (await Post(owner, "/api/v1/wizard-sessions",
                $$"""{"wizard_id":"onboarding-wizard-v3","user_id":"{{owner.Handle}}"}"""))["session_id"]!.GetValue<string>();
            var calculator = await Post(owner, "/api/v1/benefit-calculator-sessions", $$"""{"mentor_id":"{{marker}}","organisation_id":"{{organisation}}"}""");
            values["calculatorSession"] = calculator["session_id"]!.GetValue<string>();
            var loaded = await owner.Client.PutAsync($"/api/v1/benefit-calculator-sessions/{values["calculatorSession"]}",
                Json("""{"event":"CalculateRequested","payload":{"sessions":1,"avg_minutes":30,"cost_per_session":1,"cost_per_hour":10}}"""));
            values["calculatorResult"] = (await loaded.ShouldBeJsonAsync(HttpStatusCode.OK))["result_id"]!.GetValue<string>();
            values["runSession"] = $"owner-run-{Guid.NewGuid():N}";
            (await owner.Client.PostAsync($"/api/projects/{project}/wizard/sessions", Json(WizardRunPush.Replace("{runSession}", values["runSession"]))))
                .StatusCode.Should().Be(HttpStatusCode.Created);
            values["onboardingSession"] = (await Post(owner, $"/tenants/{tenant}/onboarding/session", null))["id"]!.ToString();
            var connection = await Post(owner, $"/tenants/{tenant}/provider-connections",
                """{"display_name":"x","base_url":"https://203.0.113.10","auth_mode":"client_secret","client_id":"c","client_secret":"s"}""");
            (await owner.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{values["onboardingSession"]}",
                Json($$"""{"provider_connection_id":{{connection["id"]}}}"""))).StatusCode.Should().Be(HttpStatusCode.OK);
            values["runId"] = (await Post(owner, $"/tenants/{tenant}/onboarding/tasks/onboarding.connection.verify/runs", null))["run_id"]!.ToString();
            return new World { Owner = owner, Project = project, Tenant = tenant, Organisation = organisation, Values = values };
        }

        public HttpRequestMessage Request(string route, Route expectation)
        {
            var (method, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
            var sessionKey = template switch
            {
                _ when template.StartsWith("api/v1/session") => "connectorSession",
                _ when template.StartsWith("api/v1/wizard-sessions") => "wizardSession",
                _ when template.StartsWith("api/v1/benefit") => "calculatorSession",
                _ when template.StartsWith("api/projects") => "runSession",
                _ => "onboardingSession",
            };
            var path = "/" + template
                .Replace("{sessionId}", expectation.OwnId ? Guid.CreateVersion7().ToString() : Values[sessionKey])
                .Replace("{resultId}", Values["calculatorResult"])
                .Replace("{projectId}", Project.ToString())
                .Replace("{tenantId}", Tenant.ToString())
                .Replace("{runId}", Values["runId"])
                .Replace("{wizardId}", "onboarding-wizard-v3")
                .Replace("{taskType}", "onboarding.connection.verify");
            if (template.EndsWith("/latest") || template.EndsWith("/stream"))
            {
                path += "?workflow_id=wf";
            }

            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (expectation.Body is { } body)
            {
                request.Content = Json(Values.Aggregate(body, (text, value) => text.Replace($"{{{value.Key}}}", value.Value)));
            }

            return request;
        }

        private static async Task<System.Text.Json.Nodes.JsonObject> Post(TestUser owner, string path, string? body) =>
            await (await owner.Client.PostAsync(path, body is null ? null : Json(body))).ShouldBeJsonAsync(HttpStatusCode.Created);
    }
}
