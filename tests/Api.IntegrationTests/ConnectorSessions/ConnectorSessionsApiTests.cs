using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.ConnectorSessions;

[Collection(ApiCollection.Name)]
public sealed class ConnectorSessionsApiTests(ApiHosts hosts)
{
    private const string SeedData = """
        {"discoveryInput":{"applicationName":"My API","applicationVersion":"v2.0"},"documentationItems":[],
         "scrapeInput":{"applicationName":"My API","applicationVersion":"v2.0","baseUrl":"https://api.example.com"}}
        """;

    [Theory, ClassData(typeof(Databases))]
    public async Task Create_ThenGet_ReturnsTheSeedShapeWithLocationAndETag(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var created = await user.Client.PostAsync("/api/v1/session", Json($$"""{"data":{{SeedData}}}"""));
        var body = await created.ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = Guid.Parse(body["sessionId"]!.GetValue<string>());
        body["message"]!.GetValue<string>().Should().Be("Session created successfully");
        created.Headers.Location!.AbsolutePath.Should().Be($"/api/v1/session/{id}");
        created.Headers.ETag!.Tag.Should().Be("\"1\"");

        var fetched = await user.Client.GetAsync($"/api/v1/session/{id}");
        var session = await fetched.ShouldBeJsonAsync(HttpStatusCode.OK);
        session.Select(p => p.Key).Should().BeEquivalentTo("sessionId", "data", "createdAt", "updatedAt");
        session["sessionId"]!.GetValue<string>().Should().Be(id.ToString());
        JsonNode.DeepEquals(session["data"], JsonNode.Parse(SeedData)).Should().BeTrue(session.ToJsonString());
        session["createdAt"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
        fetched.Headers.ETag!.Tag.Should().Be("\"1\"");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Create_WithoutBody_StartsWithEmptyData(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var created = await (await user.Client.PostAsync("/api/v1/session", null)).ShouldBeJsonAsync(HttpStatusCode.Created);

        var session = await (await user.Client.GetAsync($"/api/v1/session/{created["sessionId"]}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        session["data"]!.AsObject().Should().BeEmpty();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task CreateWithId_UsesTheCallersUuid_AndRefusesItTwice(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = Guid.NewGuid();

        var first = await user.Client.PostAsync($"/api/v1/session/{id}", Json("""{"data":{"a":1}}"""));
        (await first.ShouldBeJsonAsync(HttpStatusCode.Created))["sessionId"]!.GetValue<string>().Should().Be(id.ToString());

        var second = await user.Client.PostAsync($"/api/v1/session/{id}", Json("""{"data":{"a":2}}"""));
        (await second.ShouldBeProblemAsync(HttpStatusCode.Conflict))["code"]!.GetValue<string>().Should().Be("session_exists");

        var session = await (await user.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        session["data"]!["a"]!.GetValue<int>().Should().Be(1, "the refused create changed nothing");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task SameUuid_ForTwoUsers_KeepsTwoSeparateSessions(string database)
    {
        var host = await hosts.For(database);
        var alice = await host.CreateUserAsync();
        var bob = await host.CreateUserAsync();
        var id = Guid.NewGuid();

        (await alice.Client.PostAsync($"/api/v1/session/{id}", Json("""{"data":{"owner":"alice"}}"""))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await bob.Client.PostAsync($"/api/v1/session/{id}", Json("""{"data":{"owner":"bob"}}"""))).StatusCode.Should().Be(HttpStatusCode.Created);

        var seenByBob = await (await bob.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        seenByBob["data"]!["owner"]!.GetValue<string>().Should().Be("bob");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Get_UnknownSession_Is404WithTheSeedDetail(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = Guid.NewGuid();

        var problem = await (await user.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        problem["detail"]!.GetValue<string>().Should().Be($"Session {id} not found");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AnotherUsersSession_Is404ForEveryOperation_AndUnchanged(string database)
    {
        var host = await hosts.For(database);
        var owner = await host.CreateUserAsync();
        var other = await host.CreateUserAsync();
        var id = await CreateAsync(owner, """{"secret":"owner's"}""");

        foreach (var request in new Func<HttpRequestMessage>[]
                 {
                     () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/session/{id}"),
                     () => new HttpRequestMessage(HttpMethod.Head, $"/api/v1/session/{id}"),
                     () => new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/session/{id}") { Content = Json("""{"data":{"x":1}}""") },
                     () => new HttpRequestMessage(HttpMethod.Put, $"/api/v1/session/{id}") { Content = Json("""{"data":{"x":1}}""") },
                     () => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/session/{id}"),
                 })
        {
            var message = request();
            var response = await other.Client.SendAsync(message);
            response.StatusCode.Should().Be(HttpStatusCode.NotFound, message.Method.Method);
            (await response.Content.ReadAsStringAsync()).Should().NotContain("owner's");
        }

        var list = await (await other.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(0);
        var session = await (await owner.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        session["data"]!["secret"]!.GetValue<string>().Should().Be("owner's");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Head_Is204WithETagWhenPresent_And404WhenAbsent(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, "{}");

        var present = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/session/{id}"));
        present.StatusCode.Should().Be(HttpStatusCode.NoContent);
        present.Headers.ETag!.Tag.Should().Be("\"1\"");

        var absent = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/session/{Guid.NewGuid()}"));
        absent.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Patch_MergesTopLevelKeysShallowly_AndBumpsUpdatedAt(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, """{"keep":1,"replace":{"deep":1,"other":2},"drop":null}""");
        host.Clock.Advance(TimeSpan.FromMinutes(5));

        var patched = await user.Client.PatchAsync($"/api/v1/session/{id}", Json("""{"data":{"replace":{"deep":2},"added":[1,2]}}"""));
        var ack = await patched.ShouldBeJsonAsync(HttpStatusCode.OK);
        ack["message"]!.GetValue<string>().Should().Be("Session updated successfully");
        ack["sessionId"]!.GetValue<string>().Should().Be(id.ToString());
        patched.Headers.ETag!.Tag.Should().Be("\"2\"");

        var session = await (await user.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        JsonNode.DeepEquals(session["data"], JsonNode.Parse("""{"keep":1,"replace":{"deep":2},"drop":null,"added":[1,2]}"""))
            .Should().BeTrue(session.ToJsonString());
        DateTimeOffset.Parse(session["updatedAt"]!.GetValue<string>())
            .Should().BeAfter(DateTimeOffset.Parse(session["createdAt"]!.GetValue<string>()).AddMinutes(4));
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Put_ReplacesTheWholeData(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, """{"old":true}""");

        (await user.Client.PutAsync($"/api/v1/session/{id}", Json("""{"data":{"new":true}}"""))).StatusCode.Should().Be(HttpStatusCode.OK);

        var session = await (await user.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        JsonNode.DeepEquals(session["data"], JsonNode.Parse("""{"new":true}""")).Should().BeTrue();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Delete_AcknowledgesAndTheSessionIsGone(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, "{}");

        var deleted = await (await user.Client.DeleteAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        deleted["message"]!.GetValue<string>().Should().Be("Session deleted successfully");
        deleted["sessionId"]!.GetValue<string>().Should().Be(id.ToString());
        (await user.Client.GetAsync($"/api/v1/session/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await user.Client.DeleteAsync($"/api/v1/session/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task List_PagesTheCallersSessionsNewestFirst_WithTheTrueTotal(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateAsync(user, $$"""{"n":{{i}}}"""));
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var page = await (await user.Client.GetAsync("/api/v1/session?limit=2&offset=1")).ShouldBeJsonAsync(HttpStatusCode.OK);

        page["total"]!.GetValue<int>().Should().Be(5);
        page["limit"]!.GetValue<int>().Should().Be(2);
        page["offset"]!.GetValue<int>().Should().Be(1);
        page["sessions"]!.AsArray().Select(s => Guid.Parse(s!["sessionId"]!.GetValue<string>()))
            .Should().Equal(ids[3], ids[2]);
        page["sessions"]![0]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("sessionId", "createdAt", "updatedAt");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task List_ClampsOutOfRangePaging(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var page = await (await user.Client.GetAsync("/api/v1/session?limit=100000&offset=-4")).ShouldBeJsonAsync(HttpStatusCode.OK);

        page["limit"]!.GetValue<int>().Should().Be(100);
        page["offset"]!.GetValue<int>().Should().Be(0);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Data_IsStoredFaithfully_NumbersNestingAndUnicode(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        const string data = """
            {"big":12345678901234567890123,"precise":0.1000000000000000055511151231257827,"negative":-0.0,
             "text":"héllo wörld ✓ 日本語 🚀 \"quoted\" \\ back","empty":"","nested":{"a":[1,{"b":[true,false,null]}]},
             "exp":1.5e300}
            """;

        var id = await CreateAsync(user, data);

        var session = await (await user.Client.GetAsync($"/api/v1/session/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var returned = session["data"]!.AsObject();
        // Numbers as written, digit for digit: parsing them (decimal keeps 28 digits, double 17) would hide a loss.
        returned["big"]!.ToJsonString().Should().Be("12345678901234567890123");
        returned["precise"]!.ToJsonString().Should().Be("0.1000000000000000055511151231257827");
        returned["negative"]!.ToJsonString().Should().Be("-0.0");
        returned["exp"]!.ToJsonString().Should().Be("1.5e300");
        returned["text"]!.GetValue<string>().Should().Be("héllo wörld ✓ 日本語 🚀 \"quoted\" \\ back");
        JsonNode.DeepEquals(returned["nested"], JsonNode.Parse("""{"a":[1,{"b":[true,false,null]}]}""")).Should().BeTrue();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Data_WithNulCharacter_Is400AndNothingIsStored(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var response = await user.Client.PostAsync("/api/v1/session", Json("""{"data":{"bad":"a\u0000b"}}"""));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["code"]!.GetValue<string>().Should().Be("nul_character");
        var list = await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(0);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Patch_WithoutData_Is400NamingTheField(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, """{"a":1}""");

        var response = await user.Client.PatchAsync($"/api/v1/session/{id}", Json("""{"other":1}"""));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["data"].Should().NotBeNull();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Patch_WithDataNotAnObject_Is400(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, """{"a":1}""");

        var response = await user.Client.PatchAsync($"/api/v1/session/{id}", Json("""{"data":[1,2]}"""));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task StaleIfMatch_Is412AndChangesNothing_CurrentIfMatchSucceeds(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, """{"step":1}""");
        (await user.Client.PatchAsync($"/api/v1/session/{id}", Json("""{"data":{"step":2}}"""))).EnsureSuccessStatusCode();

        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/session/{id}") { Content = Json("""{"data":{"step":99}}""") };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var refused = await user.Client.SendAsync(stale);
        (await refused.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed))["code"]!.GetValue<string>().Should().Be("stale_version");

        var current = await user.Client.GetAsync($"/api/v1/session/{id}");
        var session = await current.ShouldBeJsonAsync(HttpStatusCode.OK);
        session["data"]!["step"]!.GetValue<int>().Should().Be(2);

        var fresh = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/session/{id}") { Content = Json("""{"data":{"step":3}}""") };
        fresh.Headers.IfMatch.Add(current.Headers.ETag!);
        var accepted = await user.Client.SendAsync(fresh);
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        accepted.Headers.ETag!.Tag.Should().Be("\"3\"");

        var staleDelete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/session/{id}");
        staleDelete.Headers.IfMatch.Add(current.Headers.ETag!);
        await (await user.Client.SendAsync(staleDelete)).ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        (await user.Client.GetAsync($"/api/v1/session/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task MalformedIfMatch_Is400(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, "{}");

        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/session/{id}") { Content = Json("""{"data":{}}""") };
        request.Headers.TryAddWithoutValidation("If-Match", "version-one");

        (await (await user.Client.SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["If-Match"]
            .Should().NotBeNull();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ConcurrentPatches_OfDifferentKeys_AreAllKept(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var id = await CreateAsync(user, "{}");
        const int writers = 20;

        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(i =>
            user.Client.PatchAsync($"/api/v1/session/{id}", Json($$$"""{"data":{"key{{{i}}}":{{{i}}}}}"""))));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        var fetched = await user.Client.GetAsync($"/api/v1/session/{id}");
        var data = (await fetched.ShouldBeJsonAsync(HttpStatusCode.OK))["data"]!.AsObject();
        data.Select(p => p.Key).Should().BeEquivalentTo(Enumerable.Range(0, writers).Select(i => $"key{i}"));
        fetched.Headers.ETag!.Tag.Should().Be($"\"{writers + 1}\"", "every write made exactly one new version");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task MalformedUuid_Is400ProblemDetails(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var problem = await (await user.Client.GetAsync("/api/v1/session/not-a-uuid")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        problem["errors"]!["sessionId"].Should().NotBeNull();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task MalformedJson_Is400ProblemDetails_AndNothingIsStored(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        await (await user.Client.PostAsync("/api/v1/session", Json("""{"data": {"a": 1,"""))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var list = await (await user.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(0);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task UnknownFields_AreIgnored(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var created = await user.Client.PostAsync("/api/v1/session",
            Json("""{"data":{"a":1},"sessionId":"11111111-1111-1111-1111-111111111111","createdAt":"2000-01-01T00:00:00Z","extra":[1]}"""));

        var body = await created.ShouldBeJsonAsync(HttpStatusCode.Created);
        body["sessionId"]!.GetValue<string>().Should().NotBe("11111111-1111-1111-1111-111111111111");
        var session = await (await user.Client.GetAsync($"/api/v1/session/{body["sessionId"]}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        session["createdAt"]!.GetValue<string>().Should().NotStartWith("2000");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WrongMediaType_Is415ProblemDetails(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var response = await user.Client.PostAsync("/api/v1/session", new StringContent("data=1", System.Text.Encoding.UTF8, "text/plain"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task TrailingSlashes_AreAccepted(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();

        var created = await (await user.Client.PostAsync("/api/v1/session/", Json("""{"data":{}}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);

        (await user.Client.GetAsync($"/api/v1/session/{created["sessionId"]}/")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await user.Client.GetAsync("/api/v1/session/")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static async Task<Guid> CreateAsync(TestUser user, string data)
    {
        var response = await user.Client.PostAsync("/api/v1/session", Json($$"""{"data":{{data}}}"""));
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        return Guid.Parse(body["sessionId"]!.GetValue<string>());
    }
}
