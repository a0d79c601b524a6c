using System.Net;
using System.Net.Http.Headers;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Application.Access.Commands;
using Sessions.Domain.Access;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Access;

[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task NoKey_Is401WithBearerChallenge(string database)
    {
        var host = await hosts.For(database);

        var response = await host.CreateClient(token: null).GetAsync("/api/v1/session");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
    }

    public static IEnumerable<object?[]> UnknownOrMalformedKeys => Databases.Crossed(
    [
        ["ses_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
        ["not-a-key"],
        [""],
    ]);

    [Theory, MemberData(nameof(UnknownOrMalformedKeys))]
    public async Task UnknownOrMalformedKey_Is401(string database, string token)
    {
        var host = await hosts.For(database);
        var client = host.CreateClient(token: null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {token}");

        var response = await client.GetAsync("/api/v1/session");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task KeyWithOneSecretCharacterChanged_Is401(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var last = user.Token[^1];
        var tampered = user.Token[..^1] + (last == 'A' ? 'B' : 'A');

        var response = await host.CreateClient(tampered).GetAsync("/api/v1/session");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task NonBearerScheme_Is401(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        var client = host.CreateClient(token: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", user.Token);

        await (await client.GetAsync("/api/v1/session")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task RevokedKey_Is401(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        (await user.Client.GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.OK);

        await host.SendAsync(new RevokeApiKeyCommand(user.KeyPrefix));

        await (await user.Client.GetAsync("/api/v1/session")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ExpiredKey_Is401(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync(expiresInDays: 1);
        (await user.Client.GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.OK);

        host.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        await (await user.Client.GetAsync("/api/v1/session")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        host.Clock.Advance(-(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1)));
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task KeyWithoutTheScope_Is403AndChangesNothing(string database)
    {
        var host = await hosts.For(database);
        var reader = await host.CreateUserAsync(scopes: [Scopes.ConnectorSessionRead]);

        var write = await reader.Client.PostAsync("/api/v1/session", Json("""{"data":{"a":1}}"""));
        await write.ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var list = await (await reader.Client.GetAsync("/api/v1/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        list["total"]!.GetValue<int>().Should().Be(0);

        var outsider = await host.CreateUserAsync(scopes: [Scopes.WizardSessionRead]);
        await (await outsider.Client.GetAsync("/api/v1/session")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task OpenEndpoints_NeedNoKey(string database)
    {
        var host = await hosts.For(database);
        var anonymous = host.CreateClient(token: null);

        (await anonymous.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/openapi/v1.json")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anonymous.GetAsync("/swagger/index.html")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
