using System.Net;
using System.Text.Json.Nodes;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>An owner with one resource in every module (and the values that name them), to aim requests at.</summary>
public sealed class OwnedResources
{
    public required TestUser Owner { get; init; }
    public required int Project { get; init; }
    public required int Tenant { get; init; }
    public required string Organisation { get; init; }
    public required Dictionary<string, string> Values { get; init; }

    public static async Task<OwnedResources> CreateAsync(ApiHost host)
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
        var shared = await owner.Client.PutAsync($"/api/v1/benefit-calculator-sessions/{values["calculatorSession"]}", Json("""{"event":"ShareRequested"}"""));
        values["shareToken"] = (await shared.ShouldBeJsonAsync(HttpStatusCode.OK))["share_token"]!.GetValue<string>();
        values["runSession"] = $"owner-run-{Guid.NewGuid():N}";
        (await owner.Client.PostAsync($"/api/projects/{project}/wizard/sessions", Json(RouteSamples.All["POST api/projects/{projectId}/wizard/sessions"].Body!.Replace("{runSession}", values["runSession"]))))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        values["onboardingSession"] = (await Post(owner, $"/tenants/{tenant}/onboarding/session", null))["id"]!.ToString();
        var connection = await Post(owner, $"/tenants/{tenant}/provider-connections",
            """{"display_name":"x","base_url":"https://192.31.196.1","auth_mode":"client_secret","client_id":"c","client_secret":"sample-secret-0123456789"}""");
        (await owner.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{values["onboardingSession"]}",
            Json($$"""{"provider_connection_id":{{connection["id"]}}}"""))).StatusCode.Should().Be(HttpStatusCode.OK);
        values["runId"] = (await Post(owner, $"/tenants/{tenant}/onboarding/tasks/onboarding.connection.verify/runs", null))["run_id"]!.ToString();
        return new OwnedResources { Owner = owner, Project = project, Tenant = tenant, Organisation = organisation, Values = values };
    }

    /// <summary>A request to the route aimed at the owner's resources, with the sample body filled in.</summary>
    public HttpRequestMessage Request(string route, RouteSample sample)
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
            .Replace("{sessionId}", sample.OwnId ? Guid.CreateVersion7().ToString() : Values[sessionKey])
            .Replace("{resultId}", Values["calculatorResult"])
            .Replace("{shareToken}", Values["shareToken"])
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
        if (sample.Body is { } body)
        {
            request.Content = Json(Values.Aggregate(body, (text, value) => text.Replace($"{{{value.Key}}}", value.Value)));
        }

        return request;
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> Post(TestUser owner, string path, string? body) =>
        await (await owner.Client.PostAsync(path, body is null ? null : Json(body))).ShouldBeJsonAsync(HttpStatusCode.Created);
}
