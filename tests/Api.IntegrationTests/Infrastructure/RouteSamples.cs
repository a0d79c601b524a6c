using Microsoft.Extensions.DependencyInjection;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>A valid request body for a route (placeholders like <c>{ownerHandle}</c> are filled by <see cref="OwnedResources"/>).</summary>
/// <param name="OwnId">The route names a new resource of the caller's own: it gets a fresh id.</param>
public sealed record RouteSample(string? Body = null, bool OwnId = false);

/// <summary>
/// One valid request per route of the service, keyed "METHOD template" as routed. The suites that
/// go over every route (authorization matrix, schema-driven negative tests) start from these.
/// </summary>
public static class RouteSamples
{
    private const string WizardRunPush = """
        {"session_id":"{runSession}","workflow_id":"wf","skill_id":"nextjs","started_at":"2026-03-26T10:30:00Z","run_phase":"running","tasks":[]}
        """;

    public static IReadOnlyDictionary<string, RouteSample> All { get; } = new Dictionary<string, RouteSample>
    {
        ["GET api/v1/session"] = new(),
        ["POST api/v1/session"] = new("""{"data":{}}"""),
        ["POST api/v1/session/{sessionId}"] = new("""{"data":{}}""", OwnId: true),
        ["GET api/v1/session/{sessionId}"] = new(),
        ["HEAD api/v1/session/{sessionId}"] = new(),
        ["PATCH api/v1/session/{sessionId}"] = new("""{"data":{"x":1}}"""),
        ["PUT api/v1/session/{sessionId}"] = new("""{"data":{"x":1}}"""),
        ["DELETE api/v1/session/{sessionId}"] = new(),

        ["GET api/v1/wizards"] = new(),
        ["GET api/v1/wizards/{wizardId}"] = new(),
        ["GET api/v1/wizard-sessions"] = new(),
        ["POST api/v1/wizard-sessions"] = new("""{"wizard_id":"onboarding-wizard-v3","user_id":"{ownerHandle}"}"""),
        ["GET api/v1/wizard-sessions/{sessionId}"] = new(),
        ["PUT api/v1/wizard-sessions/{sessionId}"] = new("""{"action":"save","answers":{}}"""),
        ["DELETE api/v1/wizard-sessions/{sessionId}"] = new(),
        ["POST api/v1/wizard-sessions/{sessionId}/next-step"] = new("""{"answers":{"screen-01":{"chosen":["opt-a"]}}}"""),
        ["POST api/v1/wizard-sessions/{sessionId}/previous-step"] = new(),
        ["POST api/v1/wizard-sessions/{sessionId}/save-draft"] = new("""{"answers":{}}"""),

        ["GET api/projects/{projectId}/wizard/sessions"] = new(),
        ["POST api/projects/{projectId}/wizard/sessions"] = new(WizardRunPush),
        ["GET api/projects/{projectId}/wizard/sessions/latest"] = new(),
        ["GET api/projects/{projectId}/wizard/sessions/stream"] = new(),
        ["POST api/projects/{projectId}/wizard/sessions/stream-tickets"] = new(),
        ["GET api/projects/{projectId}/wizard/sessions/{sessionId}"] = new(),

        ["GET api/v1/benefit-calculator-sessions"] = new(),
        ["POST api/v1/benefit-calculator-sessions"] = new("""{"mentor_id":"m","organisation_id":"{organisation}"}"""),
        ["GET api/v1/benefit-calculator-sessions/{sessionId}"] = new(),
        ["PUT api/v1/benefit-calculator-sessions/{sessionId}"] = new("""{"event":"ResetRequested"}"""),
        ["DELETE api/v1/benefit-calculator-sessions/{sessionId}"] = new(),
        ["GET api/v1/benefit-calculator-sessions/{sessionId}/events"] = new(),
        ["GET api/v1/benefit-calculator-results/{resultId}"] = new(),
        ["GET api/v1/benefit-calculator-shares/{shareToken}"] = new(),

        ["POST tenants/{tenantId}/provider-connections"] = new(
            """{"display_name":"x","base_url":"https://192.31.196.1","auth_mode":"client_secret","client_id":"c","client_secret":"sample-secret-0123456789"}"""),
        ["GET tenants/{tenantId}/provider-connections"] = new(),
        ["GET tenants/{tenantId}/onboarding/session"] = new(),
        ["POST tenants/{tenantId}/onboarding/session"] = new(),
        ["PATCH tenants/{tenantId}/onboarding/session/{sessionId}"] = new("""{"current_step":2}"""),
        ["GET tenants/{tenantId}/onboarding/tasks"] = new(),
        ["POST tenants/{tenantId}/onboarding/tasks/{taskType}/runs"] = new(),
        ["GET tenants/{tenantId}/onboarding/evidence"] = new(),
        ["GET tenants/{tenantId}/operation-runs/{runId}"] = new(),
    };

    /// <summary>The routes the host serves from controllers, keyed like <see cref="All"/>.</summary>
    public static List<string> Served(ApiHost host) =>
        host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor>() is not null)
            // A GET's HEAD (the GET without its body) is not a route of its own.
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Where(method => method != "HEAD" || e.Metadata.GetMetadata<Sessions.Api.Common.Http.HeadAnsweredByGet>() is null)
                .Select(method =>
                $"{method} {System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!, @"\{([^}:]+)(:[^}]+)?\}", "{$1}")}"))
            .ToList();
}
