using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Common;

/// <summary>HTTP requires HEAD wherever GET is served: the same status and headers, and no body.</summary>
[Collection(ApiCollection.Name)]
public sealed class HeadTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task EveryGetRoute_AnswersHead_WithTheGetsStatusAndHeaders_AndNoBody(string database)
    {
        var host = await hosts.For(database);
        var world = await OwnedResources.CreateAsync(host);
        var served = RouteSamples.Served(host);
        // A route with a HEAD action of its own (a connector session's existence check, 204) is tested with its module.
        var getRoutes = served.Where(route => route.StartsWith("GET ", StringComparison.Ordinal) && !served.Contains("HEAD " + route[4..])).ToList();
        getRoutes.Should().HaveCountGreaterThan(15);

        foreach (var route in getRoutes.Append("GET health/live").Append("GET api/v1/wizard-sessions/{sessionId}-unknown"))
        {
            var path = world.Request(route, new RouteSample()).RequestUri!.ToString();
            using var get = await world.Owner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
            using var head = await world.Owner.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), HttpCompletionOption.ResponseHeadersRead);

            head.StatusCode.Should().Be(get.StatusCode, route);
            head.Content.Headers.ContentType?.MediaType.Should().Be(get.Content.Headers.ContentType?.MediaType, route);
            head.Headers.ETag.Should().Be(get.Headers.ETag, route);
            (await head.Content.ReadAsByteArrayAsync()).Should().BeEmpty(route);
        }

        var anonymous = host.CreateClient(token: null);
        (await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/v1/benefit-calculator-sessions"))).StatusCode
            .Should().Be(HttpStatusCode.Unauthorized, "HEAD is refused like its GET");
    }
}
