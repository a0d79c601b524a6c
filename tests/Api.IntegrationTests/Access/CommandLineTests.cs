using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Access;

/// <summary>The administrative verbs, run as the real binary against the same database as a running host.</summary>
[Collection(ApiCollection.Name)]
public sealed class CommandLineTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task KeysCreate_PrintsAKeyOnTheLastLine_ThatTheServiceAccepts(string database)
    {
        var host = await hosts.For(database);
        var handle = $"cli-{Guid.NewGuid():N}"[..20];

        var result = await RunAsync(host, "keys", "create", "--user", handle, "--scopes", "connector_session:read,connector_session:write",
            "--projects", "1,2", "--tenants", "7", "--organisations", "org_42", "--name", "ci", "--expires-in-days", "30");

        result.ExitCode.Should().Be(0, result.Error);
        var key = result.Lines[^1];
        key.Should().MatchRegex("^ses_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$");
        (await host.CreateClient(key).GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.OK);
        var remembered = host.Clock.GetUtcNow(); // the service read the key (and remembers it) before this

        var list = await RunAsync(host, "keys", "list");
        list.ExitCode.Should().Be(0, list.Error);
        var row = list.Lines.Single(line => line.StartsWith(key[4..16], StringComparison.Ordinal));
        row.Should().Contain(handle).And.Contain("active").And.Contain("connector_session:read,connector_session:write")
            .And.Contain("1,2").And.Contain("org_42");
        list.Output.Should().NotContain(key, "the secret is never shown again");

        var revoke = await RunAsync(host, "keys", "revoke", key[4..16]);
        revoke.ExitCode.Should().Be(0, revoke.Error);
        // Another process revoked it: the service stops trusting its copy within the key cache
        // lifetime, documented as 10 s (Sessions:Api:KeyCache:Lifetime), counted from when it read the key.
        var untilLifetimeEnds = remembered.AddSeconds(10) - host.Clock.GetUtcNow();
        host.Clock.Advance(untilLifetimeEnds > TimeSpan.Zero ? untilLifetimeEnds : TimeSpan.Zero);
        (await host.CreateClient(key).GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await RunAsync(host, "keys", "list")).Lines.Single(line => line.StartsWith(key[4..16], StringComparison.Ordinal))
            .Should().Contain("revoked");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task UsersAdd_PrintsTheNumericId_AndRefusesADuplicate(string database)
    {
        var host = await hosts.For(database);
        var handle = $"cli-{Guid.NewGuid():N}"[..20];

        var added = await RunAsync(host, "users", "add", handle, "--name", "Ada Lovelace");

        added.ExitCode.Should().Be(0, added.Error);
        added.Lines.Should().ContainSingle().Which.Should().MatchRegex("^[1-9][0-9]*$");
        var again = await RunAsync(host, "users", "add", handle);
        again.ExitCode.Should().Be(2);
        again.Error.Should().Contain("already exists");
    }

    public static IEnumerable<object?[]> BadArguments => Databases.Crossed(
    [
        [new[] { "keys", "create", "--user", "someone" }],
        [new[] { "keys", "create", "--user", "someone", "--scopes", "no_such:scope" }],
        [new[] { "keys", "create", "--user", "someone", "--scopes", "onboarding:read", "--projects", "one" }],
        [new[] { "keys", "create", "--user", "someone", "--scopes", "onboarding:read", "--colour", "blue" }],
        [new[] { "keys", "revoke", "000000000000" }],
        [new[] { "users", "add" }],
        [new[] { "users", "add", "bad handle!" }],
        [new[] { "keys", "rotate" }],
    ]);

    [Theory, MemberData(nameof(BadArguments))]
    public async Task BadArguments_Exit2WithAMessage(string database, string[] args)
    {
        var host = await hosts.For(database);

        var result = await RunAsync(host, args);

        result.ExitCode.Should().Be(2);
        result.Error.Should().NotBeNullOrWhiteSpace();
        result.Output.Should().NotContain("ses_");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Migrate_OnAFreshDatabase_AppliesAndThenIsUpToDate(string database)
    {
        await using var fresh = await TestDatabase.CreateAsync(database);

        var first = await RunAsync(fresh, "migrate");
        var second = await RunAsync(fresh, "migrate");

        first.ExitCode.Should().Be(0, first.Error);
        first.Output.Should().Contain("Baseline");
        second.ExitCode.Should().Be(0, second.Error);
        second.Output.Should().Contain("up to date");
    }

    private static Task<ServiceProcess.VerbResult> RunAsync(ApiHost host, params string[] args) => RunAsync(host.Database, args);

    private static Task<ServiceProcess.VerbResult> RunAsync(TestDatabase database, params string[] args) => ServiceProcess.RunVerbAsync(database, args);
}
