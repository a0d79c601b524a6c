using System.Net;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Domain.Access;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Onboarding;

/// <summary>The steps an onboarding client takes, through the API: a tenant, a provider connection, a session, a run.</summary>
public static class OnboardingDriver
{
    private static int _tenants = 500;

    public static int NextTenant() => Interlocked.Increment(ref _tenants) + Random.Shared.Next(1, 1_000_000) * 1000;

    public static async Task<(TestUser User, int Tenant)> TenantUserAsync(ApiHost host)
    {
        var tenant = NextTenant();
        return (await host.CreateUserAsync(scopes: [Scopes.OnboardingRead, Scopes.OnboardingWrite], tenants: [tenant]), tenant);
    }

    public static StringContent Connection(string baseUrl, string secret = OnboardingHosts.Secret) => Json(new JsonObject
    {
        ["display_name"] = "Entra",
        ["base_url"] = baseUrl,
        ["auth_mode"] = "client_secret",
        ["client_id"] = "app-1",
        ["client_secret"] = secret,
    }.ToJsonString());

    /// <summary>A session with a provider connection at <paramref name="baseUrl"/>, ready for runs.</summary>
    public static async Task PrepareAsync(TestUser user, int tenant, string baseUrl, string secret = OnboardingHosts.Secret)
    {
        var connection = await (await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(baseUrl, secret)))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var session = await (await user.Client.PostAsync($"/tenants/{tenant}/onboarding/session", null)).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await user.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{session["id"]}",
            Json($$"""{"provider_connection_id":{{connection["id"]}}}"""))).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    public static async Task<long> StartRunAsync(TestUser user, int tenant, string task) =>
        (await (await user.Client.PostAsync($"/tenants/{tenant}/onboarding/tasks/{task}/runs", null)).ShouldBeJsonAsync(HttpStatusCode.Created))
        ["run_id"]!.GetValue<long>();

    /// <summary>The run once it is final (succeeded or failed), or as it stands when <paramref name="within"/> is over.</summary>
    public static async Task<JsonObject> WaitForRunAsync(TestUser user, int tenant, long runId, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var run = await (await user.Client.GetAsync($"/tenants/{tenant}/operation-runs/{runId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
            if (run["status"]!.GetValue<string>() is "succeeded" or "failed" || DateTime.UtcNow > deadline)
            {
                return run;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The evidence rows of one run (newest first).</summary>
    public static async Task<List<JsonObject>> EvidenceOfAsync(TestUser user, int tenant, long runId) =>
        (await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/evidence")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
        .Select(row => row!.AsObject()).Where(row => row["operation_run_id"]?.GetValue<long>() == runId).ToList();
}
