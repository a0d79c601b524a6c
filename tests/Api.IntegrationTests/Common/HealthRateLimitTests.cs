using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Common;

/// <summary>
/// Health probes never meet the rate limiter: behind a proxy every anonymous client shares one
/// address, so a flood of anonymous requests must not make a load balancer's probes fail.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HealthRateLimitTests
{
    [Theory, ClassData(typeof(Databases))]
    public async Task HealthProbes_AreNeverRateLimited_WhenTheAnonymousBucketIsEmpty(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:RateLimitBurst"] = "3",
            ["Sessions:Api:RateLimitPerSecond"] = "1",
        });
        var anonymous = host.CreateClient(token: null);
        HttpResponseMessage limited;
        do
        {
            limited = await anonymous.GetAsync("/api/v1/session");
        }
        while (limited.StatusCode == HttpStatusCode.Unauthorized);

        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);

        problem["detail"]!.GetValue<string>().Should().NotContain("API key", "an anonymous client has no key").And.Contain("client address");
        foreach (var probe in Enumerable.Range(0, 50).SelectMany(_ => new[] { "/health/live", "/health/ready", "/health/live/" }))
        {
            var response = await anonymous.GetAsync(probe);
            response.StatusCode.Should().Be(HttpStatusCode.OK, probe);
            response.Headers.Contains("RateLimit-Limit").Should().BeFalse("a probe does not count against any bucket");
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task A429ForAKey_SaysItIsThatKeysBucket(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:RateLimitBurst"] = "1",
            ["Sessions:Api:RateLimitPerSecond"] = "1",
        });
        var user = await host.CreateUserAsync();
        HttpResponseMessage limited;
        do
        {
            limited = await user.Client.GetAsync("/api/v1/session");
        }
        while (limited.StatusCode == HttpStatusCode.OK);

        (await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests))["detail"]!.GetValue<string>().Should().Contain("for this API key");
    }
}
