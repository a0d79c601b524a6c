using System.Net;
using System.Net.Http.Headers;
using Sessions.Api.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;
using Sessions.Domain.Access;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;
using static Sessions.Api.IntegrationTests.Infrastructure.IdempotentRequests;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// A refusal is <c>application/problem+json</c> whatever the request's <c>Accept</c> says: an
/// EventSource sends <c>text/event-stream</c>, a browser <c>text/html</c>, some clients
/// <c>application/xml</c>. Content negotiation never turns a refusal into a 500, and an expected
/// refusal is never logged as an error.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RefusalMediaTypeTests
{
    private static readonly string[] NonJsonAccepts = ["text/event-stream", "text/html", "application/xml"];

    [Theory, ClassData(typeof(Databases))]
    public async Task EveryRefusalOfEveryRoute_IsProblemJson_WhateverTheAccept(string database)
    {
        // A host of its own, so its log holds only these requests.
        await using var host = await ApiHost.StartAsync(database);
        var world = await OwnedResources.CreateAsync(host);
        var anonymous = host.CreateClient(token: null);
        var stranger = await host.CreateUserAsync(projects: [world.Project + 1], tenants: [world.Tenant + 1], organisations: ["org_other"]);
        var seen = new HashSet<HttpStatusCode>();
        var requests = 0;

        foreach (var route in RouteSamples.Served(host))
        {
            var scope = AuthorizationMatrixTests.Expectations[route].Scope;
            var sample = RouteSamples.All[route];
            var lacking = await host.CreateUserAsync(scopes: Scopes.All.Where(s => s != scope).ToArray(),
                projects: [world.Project], tenants: [world.Tenant], organisations: [world.Organisation]);
            var variants = new List<(string Name, HttpClient Client, Func<HttpRequestMessage> Request)>
            {
                ("without a key", anonymous, () => world.Request(route, sample)),
                ("with a bad key", host.CreateClient("ses_000000000000_notakey"), () => world.Request(route, sample)),
                ("without the scope", lacking.Client, () => world.Request(route, sample)),
                ("by a stranger", stranger.Client, () => world.Request(route, sample)),
            };
            if (sample.Body is not null)
            {
                variants.Add(("with malformed JSON", world.Owner.Client, () => WithContent(world.Request(route, sample), Json("{\"data\":"))));
                variants.Add(("as text/plain", world.Owner.Client,
                    () => WithContent(world.Request(route, sample), new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"))));
                variants.Add(("over the body limit", world.Owner.Client,
                    () => WithContent(world.Request(route, sample), Json($$"""{"data":"{{new string('x', 1024 * 1024)}}"}"""))));
            }

            foreach (var (name, client, request) in variants)
            {
                var baseline = await client.SendAsync(WithAccept(request(), "application/json"));
                var because = $"{route} {name}";
                ((int)baseline.StatusCode).Should().BeLessThan(500, because);
                if ((int)baseline.StatusCode < 400)
                {
                    continue;
                }

                seen.Add(baseline.StatusCode);
                foreach (var accept in NonJsonAccepts)
                {
                    var logged = host.Logs.Count;
                    var response = await client.SendAsync(WithAccept(request(), accept));
                    requests++;
                    await ShouldBeTheSameRefusalAsync(response, baseline, $"{because} with Accept: {accept}");
                    WrittenLines(host, since: logged).Should().HaveCountLessThanOrEqualTo(1, $"{because} with Accept: {accept}")
                        .And.NotContain(line => IsError(line), "an expected refusal is not an error");
                }
            }
        }

        seen.Should().Contain([HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound,
            HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType]);
        requests.Should().BeGreaterThan(300);
        ErrorLines(host).Should().BeEmpty("an expected refusal is not an error");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ConflictsAndPreconditions_AreProblemJson_WhateverTheAccept(string database)
    {
        await using var host = await ApiHost.StartAsync(database);
        var user = await host.CreateUserAsync(tenants: [7]);
        var id = Guid.NewGuid();
        (await user.Client.PostAsync($"/api/v1/session/{id}", Json("""{"data":{}}"""))).StatusCode.Should().Be(HttpStatusCode.Created);
        var idempotencyKey = Guid.NewGuid().ToString();
        (await user.Client.SendAsync(IdempotentPost("/api/v1/session", """{"data":{"n":1}}""", idempotencyKey))).StatusCode.Should().Be(HttpStatusCode.Created);

        foreach (var accept in NonJsonAccepts)
        {
            var exists = await user.Client.SendAsync(WithAccept(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/session/{id}")
            {
                Content = Json("""{"data":{}}"""),
            }, accept));
            (await exists.ShouldBeProblemAsync(HttpStatusCode.Conflict))["code"]!.GetValue<string>().Should().Be("session_exists");

            var noSession = await user.Client.SendAsync(WithAccept(
                new HttpRequestMessage(HttpMethod.Post, "/tenants/7/onboarding/tasks/onboarding.connection.verify/runs"), accept));
            (await noSession.ShouldBeProblemAsync(HttpStatusCode.Conflict))["error"]!.GetValue<string>().Should().Be("no_onboarding_session");

            var stale = WithAccept(new HttpRequestMessage(HttpMethod.Put, $"/api/v1/session/{id}") { Content = Json("""{"data":{}}""") }, accept);
            stale.Headers.TryAddWithoutValidation("If-Match", "\"99\"");
            await (await user.Client.SendAsync(stale)).ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);

            var reused = await user.Client.SendAsync(WithAccept(IdempotentPost("/api/v1/session", """{"data":{"n":2}}""", idempotencyKey), accept));
            await reused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);

            await (await user.Client.SendAsync(WithAccept(new HttpRequestMessage(HttpMethod.Patch, "/api/v1/session") { Content = Json("{}") }, accept)))
                .ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
            await (await user.Client.SendAsync(WithAccept(new HttpRequestMessage(HttpMethod.Get, "/api/v1/no-such-route"), accept)))
                .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        ErrorLines(host).Should().BeEmpty();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task TheRateLimitersRefusal_IsProblemJsonWithRetryAfter_WhateverTheAccept(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:RateLimitBurst"] = "1",
            ["Sessions:Api:RateLimitPerSecond"] = "1",
        });
        var user = await host.CreateUserAsync(projects: [1]);
        var anonymous = host.CreateClient(token: null);
        const string stream = "/api/projects/1/wizard/sessions/stream?workflow_id=wf";

        foreach (var accept in NonJsonAccepts)
        {
            foreach (var client in new[] { user.Client, anonymous })
            {
                // A bucket of one, refilled once a second: the next request that is not let through is the refusal.
                HttpResponseMessage response;
                do
                {
                    response = await client.SendAsync(WithAccept(new HttpRequestMessage(HttpMethod.Get, client == anonymous ? stream : "/api/v1/session"), accept));
                }
                while (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized);

                (await response.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests))["code"]!.GetValue<string>().Should().Be("rate_limited");
                response.Headers.RetryAfter!.Delta.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1), accept);
            }
        }

        ErrorLines(host).Should().BeEmpty();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task TheStreamCapsRefusal_IsProblemJsonWithRetryAfter_ToAnEventSource(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?> { ["Sessions:WizardRuns:MaxStreams"] = "0" });
        var user = await host.CreateUserAsync(projects: [1]);

        foreach (var accept in NonJsonAccepts)
        {
            var response = await user.Client.SendAsync(WithAccept(
                new HttpRequestMessage(HttpMethod.Get, "/api/projects/1/wizard/sessions/stream?workflow_id=wf"), accept));

            (await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable))["code"]!.GetValue<string>().Should().Be("stream_capacity");
            response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5));
        }

        ErrorLines(host).Should().BeEmpty();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AnEventSourceWithoutAKey_Gets401WithWwwAuthenticate_AndOneQuietLogLine(string database)
    {
        await using var host = await ApiHost.StartAsync(database);
        var logged = host.Logs.Count;

        var response = await host.CreateClient(token: null).SendAsync(WithAccept(
            new HttpRequestMessage(HttpMethod.Get, "/api/projects/1/wizard/sessions/stream/?workflow_id=x"), "text/event-stream"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle(value => value.Scheme == "Bearer");
        WrittenLines(host, since: logged).Should().HaveCountLessThanOrEqualTo(1).And.NotContain(line => IsError(line));
    }

    /// <summary>
    /// The lines the service writes with the levels its appsettings.json ships (Information, and
    /// Warning for ASP.NET Core and EF Core), leaving out the onboarding worker and its calls to the
    /// provider, which run on their own beside the requests under test.
    /// </summary>
    private static List<string> WrittenLines(ApiHost host, int since) =>
        host.Logs.Skip(since).Where(line =>
        {
            var (level, category) = (line[..line.IndexOf(' ')], line[(line.IndexOf(' ') + 1)..line.IndexOf(':')]);
            var minimum = category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                          || category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
                ? LogLevel.Warning
                : LogLevel.Information;
            return Enum.Parse<LogLevel>(level) >= minimum
                   && !category.StartsWith("Sessions.Infrastructure.Onboarding", StringComparison.Ordinal)
                   && !category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal);
        }).ToList();

    private static bool IsError(string line) => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal);

    private static async Task ShouldBeTheSameRefusalAsync(HttpResponseMessage response, HttpResponseMessage baseline, string because)
    {
        response.StatusCode.Should().Be(baseline.StatusCode, because);
        if (response.RequestMessage!.Method == HttpMethod.Head)
        {
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", because);
        }
        else
        {
            await response.ShouldBeProblemAsync(baseline.StatusCode);
        }

        foreach (var header in new[] { "WWW-Authenticate", "Retry-After" })
        {
            response.Headers.Contains(header).Should().Be(baseline.Headers.Contains(header), $"{because}: {header}");
        }
    }

    private static List<string> ErrorLines(ApiHost host) => host.Logs.Where(IsError).ToList();

    private static HttpRequestMessage WithAccept(HttpRequestMessage request, string accept)
    {
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        return request;
    }

    private static HttpRequestMessage WithContent(HttpRequestMessage request, HttpContent content)
    {
        request.Content = content;
        return request;
    }
}
