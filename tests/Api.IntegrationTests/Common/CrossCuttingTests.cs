using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Application.Common.Idempotency;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Common;

[Collection(ApiCollection.Name)]
public sealed class CrossCuttingTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task BrowserOrigins_AreServedOnlyWhenConfigured(string database)
    {
        const string allowed = "https://app.example";
        var host = await hosts.For(database);
        await using var browserFacing = await ApiHost.SharingDatabaseOf(host, new Dictionary<string, string?>
        {
            ["Sessions:Api:CorsOrigins:0"] = allowed,
        });
        var user = await browserFacing.CreateUserAsync();

        // A preflight carries no key: it is answered before authentication.
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/session");
        preflight.Headers.Add("Origin", allowed);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        using var anonymous = browserFacing.CreateClient(token: null);
        var preflightAnswer = await anonymous.SendAsync(preflight);
        preflightAnswer.StatusCode.Should().Be(HttpStatusCode.NoContent);
        preflightAnswer.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(allowed);
        preflightAnswer.Headers.GetValues("Access-Control-Allow-Headers").Single().Should().Contain("idempotency-key");

        var fromAllowed = await user.Client.SendAsync(WithOrigin(HttpMethod.Get, "/api/v1/session", allowed));
        fromAllowed.StatusCode.Should().Be(HttpStatusCode.OK);
        fromAllowed.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(allowed);
        fromAllowed.Headers.GetValues("Access-Control-Expose-Headers").Single().Split(',')
            .Should().Contain(["ETag", "Location", "Retry-After", "Idempotent-Replayed", "RateLimit-Remaining"]);
        fromAllowed.Headers.Contains("Access-Control-Allow-Credentials").Should().BeFalse("keys are bearer tokens, never cookies");

        var fromElsewhere = await user.Client.SendAsync(WithOrigin(HttpMethod.Get, "/api/v1/session", "https://elsewhere.example"));
        fromElsewhere.StatusCode.Should().Be(HttpStatusCode.OK);
        fromElsewhere.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();

        var byDefault = await (await host.CreateUserAsync()).Client.SendAsync(WithOrigin(HttpMethod.Get, "/api/v1/session", allowed));
        byDefault.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse("no origin is allowed unless configured");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AnIfMatchLongerThanAnyEntityTag_Is400(string database)
    {
        var user = await (await hosts.For(database)).CreateUserAsync();
        var created = await (await user.Client.PostAsync("/api/v1/session", Json("""{"data":{}}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/session/{created["sessionId"]}") { Content = Json("""{"data":{"x":1}}""") };
        put.Headers.TryAddWithoutValidation("If-Match", $"\"{new string('1', 100)}\"");
        var problem = await (await user.Client.SendAsync(put)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem["errors"]!["If-Match"].Should().NotBeNull();
    }

    private static HttpRequestMessage WithOrigin(HttpMethod method, string path, string origin)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        return request;
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task IdempotentReplay_ReturnsTheFirstResponse_AndActsOnce(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var key = Guid.NewGuid().ToString();

        var first = await user.Client.SendAsync(IdempotentPost(key, """{"data":{"n":1}}"""));
        var firstBody = await first.ShouldBeJsonAsync(HttpStatusCode.Created);
        var replay = await user.Client.SendAsync(IdempotentPost(key, """{"data":{"n":1}}"""));
        var replayBody = await replay.ShouldBeJsonAsync(HttpStatusCode.Created);

        JsonNode.DeepEquals(firstBody, replayBody).Should().BeTrue();
        replay.Headers.Location.Should().Be(first.Headers.Location);
        replay.Headers.ETag.Should().Be(first.Headers.ETag);
        replay.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        first.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        var list = await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(1);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task IdempotencyKey_WithAnotherBody_Is422AndActsNot(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var key = Guid.NewGuid().ToString();
        (await user.Client.SendAsync(IdempotentPost(key, """{"data":{"n":1}}"""))).StatusCode.Should().Be(HttpStatusCode.Created);

        var reused = await user.Client.SendAsync(IdempotentPost(key, """{"data":{"n":2}}"""));

        (await reused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity))["code"]!.GetValue<string>()
            .Should().Be("idempotency_key_reused");
        var list = await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(1);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task IdempotencyKeys_AreKeptPerCaller(string database)
    {
        var host = await hosts.For(database);
        var alice = await host.CreateUserAsync();
        var bob = await host.CreateUserAsync();
        var key = Guid.NewGuid().ToString();

        var forAlice = await (await alice.Client.SendAsync(IdempotentPost(key, """{"data":{}}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var forBob = await (await bob.Client.SendAsync(IdempotentPost(key, """{"data":{}}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);

        forBob["sessionId"]!.GetValue<string>().Should().NotBe(forAlice["sessionId"]!.GetValue<string>());
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task IdempotencyKey_WhileTheFirstRequestRuns_Is409WithRetryAfter(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var key = Guid.NewGuid().ToString();
        const string body = """{"data":{"n":1}}""";
        var store = host.Services.GetRequiredService<IIdempotencyStore>();
        var sameRequest = DocumentedFingerprint("POST", "/api/v1/session", body);
        var owner = Sessions.Api.Common.Http.IdempotencyFilter.OwnerOf(new Sessions.Application.Access.AuthenticatedKey(
            user.KeyPrefix, user.UserId, user.Handle, null, new Sessions.Domain.Access.AccessGrants(Sessions.Domain.Access.Scopes.All)));
        (await store.ClaimAsync(owner, key, sameRequest, CancellationToken.None)).Should().BeOfType<IdempotencyClaim.Claimed>();

        var response = await user.Client.SendAsync(IdempotentPost(key, body));

        (await response.ShouldBeProblemAsync(HttpStatusCode.Conflict))["code"]!.GetValue<string>().Should().Be("idempotency_in_flight");
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        var list = await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(0);

        await store.ReleaseAsync(owner, key, CancellationToken.None);
        (await user.Client.SendAsync(IdempotentPost(key, body))).StatusCode.Should().Be(HttpStatusCode.Created, "a released claim lets the retry run");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ConcurrentIdempotentPosts_WithOneKey_CreateOneSession(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => user.Client.SendAsync(IdempotentPost(key, """{"data":{"once":true}}"""))));

        responses.Select(r => (int)r.StatusCode).Should().OnlyContain(status => status == 201 || status == 409);
        foreach (var inFlight in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            inFlight.Headers.RetryAfter.Should().NotBeNull();
        }

        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Headers.Location).Distinct();
        created.Should().ContainSingle("every 201 is the one first response, replayed");
        var list = await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(1);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task OverlongIdempotencyKey_Is400(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var response = await user.Client.SendAsync(IdempotentPost(new string('k', 256), """{"data":{}}"""));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["Idempotency-Key"].Should().NotBeNull();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task BodyOverTheLimit_Is413AndStoresNothing(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var big = new string('x', 1024 * 1024 + 1);

        var response = await user.Client.PostAsync("/api/v1/session", Json($$$"""{"data":{"big":"{{{big}}}"}}"""));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        var list = await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(0);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task UnknownRoute_Is404ProblemDetails(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        await (await user.Client.GetAsync("/api/v1/no-such-thing")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task UnsupportedMethod_Is405ProblemDetails(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        await (await user.Client.PatchAsync("/api/v1/session", Json("{}"))).ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Readiness_ReportsTheDatabase(string database)
    {
        var host = await hosts.For(database);

        var ready = await host.CreateClient(token: null).GetAsync("/health/ready");

        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Readiness_Is503WhenTheDatabaseIsUnreachable_WhileLivenessStays200(string database)
    {
        await using var host = await ApiHost.StartAsync(database);
        await host.Database.RemoveAsync();
        var client = host.CreateClient(token: null);

        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task RateLimit_Is429WithRetryAfter_PerKey(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:RateLimitBurst"] = "3",
            ["Sessions:Api:RateLimitPerSecond"] = "1",
        });
        var busy = await host.CreateUserAsync();
        var calm = await host.CreateUserAsync();

        var statuses = new List<HttpStatusCode>();
        var remaining = new List<string>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await busy.Client.GetAsync("/api/v1/session");
            statuses.Add(response.StatusCode);
            response.Headers.GetValues("RateLimit-Limit").Should().Equal("3");
            response.Headers.GetValues("RateLimit-Reset").Should().Equal("1");
            remaining.Add(response.Headers.GetValues("RateLimit-Remaining").Single());
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        statuses.Should().Contain(HttpStatusCode.TooManyRequests);
        remaining.Should().OnlyContain(value => int.Parse(value) >= 0 && int.Parse(value) < 3, "each answer counts its own request");
        await limited!.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        limited!.Headers.RetryAfter!.Delta.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1));
        limited.Headers.GetValues("RateLimit-Remaining").Should().Equal("0");
        var notFound = await calm.Client.GetAsync($"/api/v1/session/{Guid.NewGuid()}");
        notFound.StatusCode.Should().Be(HttpStatusCode.NotFound);
        notFound.Headers.GetValues("RateLimit-Limit").Should().Equal(new[] { "3" }, "an error answer carries them too");
        (await calm.Client.GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.OK, "each key has its own budget");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task NulCharacters_Are400OnEveryDatabase_ButAnEscapedBackslashIsText(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var escaped = await user.Client.PostAsync("/api/v1/session", Json("""{"data":{"note":"\\u0000 is how JSON writes NUL"}}"""));
        var nul = await user.Client.PostAsync("/api/v1/session", Json("""{"data":{"note":"a\u0000b"}}"""));
        var query = await user.Client.GetAsync("/api/v1/wizard-sessions?page=1%00");

        escaped.StatusCode.Should().Be(HttpStatusCode.Created);
        var inBody = await nul.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        inBody["code"]!.GetValue<string>().Should().Be("nul_character");
        inBody["errors"]!.AsObject().Select(error => error.Key).Should().Equal(["data.note"], "the place is named by its wire path");
        var inQuery = await query.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        inQuery["code"]!.GetValue<string>().Should().Be("nul_character");
        inQuery["errors"]!.AsObject().Select(error => error.Key).Should().Equal(["page"]);
        var list = await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(1, "the refused request stored nothing");
    }

    /// <summary>
    /// "The same request" as the README defines it: the same method, path with query, and body bytes,
    /// kept as the lower-case hex SHA-256 of "METHOD path?query\n" followed by the body.
    /// </summary>
    private static string DocumentedFingerprint(string method, string pathAndQuery, string body) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{method} {pathAndQuery}\n{body}")));

    private static HttpRequestMessage IdempotentPost(string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session") { Content = Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
