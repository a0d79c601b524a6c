using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Api.IntegrationTests.Onboarding;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Common;

/// <summary>
/// Behind a TLS-terminating proxy listed in <c>Sessions:Api:KnownProxies</c>, links, <c>Location</c> and page links carry
/// the public scheme and host, and per-address limits key on the real client; anyone else's forwarded headers are ignored.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ForwardedHeadersTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task BehindAKnownProxy_LinksCarryThePublicSchemeAndHost_AndLimitsTheRealClient(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:KnownProxies:0"] = "127.0.0.1",
            ["Sessions:Api:ShareRateLimitBurst"] = "1",
            ["Sessions:Api:ShareRateLimitPerMinute"] = "1",
        }, kestrel: true);
        var (user, tenant) = await OnboardingDriver.TenantUserAsync(host);
        var proxied = Proxied(host, user.Token, client: "203.0.113.7");
        await OnboardingDriver.PrepareAsync(user, tenant, "https://192.31.196.1");

        var started = await proxied.PostAsync($"/tenants/{tenant}/onboarding/tasks/onboarding.connection.verify/runs", null);
        var link = await started.ShouldBeJsonAsync(HttpStatusCode.Created);
        var expected = $"https://sessions.example.com/tenants/{tenant}/operation-runs/{link["run_id"]}";
        link["url"]!.GetValue<string>().Should().Be(expected);
        started.Headers.Location!.ToString().Should().Be(expected);

        var runs = await host.CreateUserAsync(projects: [41]);
        var runsProxied = Proxied(host, runs.Token, client: "203.0.113.7");
        for (var i = 0; i < 2; i++)
        {
            var pushed = await runsProxied.PostAsync("/api/projects/41/wizard/sessions", Json(WizardRuns.WizardRunsApiTests.CliPush($"fwd-{i}")));
            pushed.Headers.Location!.ToString().Should().StartWith("https://sessions.example.com/api/projects/41/wizard/sessions/fwd-");
        }

        var page = await (await runsProxied.GetAsync("/api/projects/41/wizard/sessions?limit=1")).ShouldBeJsonAsync(HttpStatusCode.OK);
        page["next"]!.GetValue<string>().Should().StartWith("https://sessions.example.com/api/projects/41/wizard/sessions?");

        // The share route's bucket (one request) is the real client's: another client behind the same proxy has its own.
        (await Proxied(host, null, client: "203.0.113.7").GetAsync("/api/v1/benefit-calculator-shares/share_x")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Proxied(host, null, client: "203.0.113.7").GetAsync("/api/v1/benefit-calculator-shares/share_x")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await Proxied(host, null, client: "203.0.113.8").GetAsync("/api/v1/benefit-calculator-shares/share_x")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WithoutKnownProxies_ForwardedHeadersAreIgnored(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync(projects: [42]);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects/42/wizard/sessions")
        {
            Content = Json(WizardRuns.WizardRunsApiTests.CliPush($"direct-{Guid.NewGuid():N}")),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        var response = await user.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().StartWith("http://localhost/api/projects/42/wizard/sessions/direct-");
    }

    /// <summary>A client of the Kestrel-hosted service that sends what a TLS-terminating proxy in front of it adds.</summary>
    private static HttpClient Proxied(ApiHost host, string? token, string client)
    {
        var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        http.DefaultRequestHeaders.Add("X-Forwarded-Host", "sessions.example.com");
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}
