using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Domain.Access;
using Sessions.Infrastructure.Onboarding;
using Sessions.Infrastructure.Persistence;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Onboarding;

/// <summary>One onboarding host per database (loopback providers allowed, a quick worker) and one fake provider.</summary>
public sealed class OnboardingHosts : IAsyncLifetime
{
    public const string Secret = "s3cr3t-Provider-Value-7f2c";

    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Sessions:Onboarding:AllowLoopbackProviders"] = "true",
        ["Sessions:Onboarding:WorkerPollInterval"] = "00:00:00.100",
        ["Sessions:Onboarding:Lease"] = "00:00:03",
        ["Sessions:Onboarding:SlowAfter"] = "00:00:00.400",
        ["Sessions:Onboarding:ProbeTimeout"] = "00:00:03",
    };

    private readonly ConcurrentDictionary<string, Lazy<Task<ApiHost>>> _hosts = new();

    public FakeProvider Provider { get; private set; } = null!;

    public Task<ApiHost> For(string database) =>
        _hosts.GetOrAdd(database, d => new Lazy<Task<ApiHost>>(() => ApiHost.StartAsync(d, Settings))).Value;

    public async Task InitializeAsync() => Provider = await FakeProvider.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values.Where(h => h.IsValueCreated))
        {
            await (await host.Value).DisposeAsync();
        }

        await Provider.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OnboardingCollection : ICollectionFixture<OnboardingHosts>
{
    public const string Name = "onboarding";
}

[Collection(OnboardingCollection.Name)]
public sealed class OnboardingApiTests(OnboardingHosts hosts)
{
    private static int _tenants = 100;

    [Theory, ClassData(typeof(Databases))]
    public async Task Session_IsNullFirst_ThenCreated_ThenResumed(string database)
    {
        var (_, user, tenant) = await SetUpAsync(database);

        var none = await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        JsonNode.DeepEquals(none, JsonNode.Parse("""{"session":null}""")).Should().BeTrue();

        var created = await (await user.Client.PostAsync($"/tenants/{tenant}/onboarding/session", null)).ShouldBeJsonAsync(HttpStatusCode.Created);
        created["tenant_id"]!.GetValue<int>().Should().Be(tenant);
        created["status"]!.GetValue<string>().Should().Be("draft");
        created["current_step"]!.GetValue<int>().Should().Be(1);
        var resumed = await (await user.Client.PostAsync($"/tenants/{tenant}/onboarding/session", null)).ShouldBeJsonAsync(HttpStatusCode.Created);
        resumed["id"]!.GetValue<long>().Should().Be(created["id"]!.GetValue<long>());
        var current = await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/session")).ShouldBeJsonAsync(HttpStatusCode.OK);
        current["session"]!["id"]!.GetValue<long>().Should().Be(created["id"]!.GetValue<long>());
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Patch_MovesAndAssigns_AndLocksOutOthersUntilTakeoverOrExpiry(string database)
    {
        var (host, alice, tenant) = await SetUpAsync(database);
        var bob = await host.CreateUserAsync(tenants: [tenant]);
        var outsider = await host.CreateUserAsync(tenants: [tenant + 1]);
        var id = await StartSessionAsync(alice, tenant);

        var moved = await PatchAsync(alice, tenant, id, $$"""{"current_step":2,"assigned_to_user_id":{{bob.UserId}}}""");
        moved["status"]!.GetValue<string>().Should().Be("in_progress");
        moved["assigned_to_user_id"]!.GetValue<long>().Should().Be(bob.UserId);
        moved["locked_by_user_id"]!.GetValue<long>().Should().Be(alice.UserId);
        moved["locked_until"].Should().NotBeNull();

        var blocked = await bob.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}", Json("""{"current_step":3}"""));
        var problem = await blocked.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem["error"]!.GetValue<string>().Should().Be("session_locked");

        var takenOver = await PatchAsync(bob, tenant, id, """{"current_step":3,"takeover":true}""");
        takenOver["locked_by_user_id"]!.GetValue<long>().Should().Be(bob.UserId);

        await (await alice.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}", Json("""{"current_step":4}""")))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        host.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        (await PatchAsync(alice, tenant, id, """{"current_step":4}"""))["locked_by_user_id"]!.GetValue<long>().Should().Be(alice.UserId);

        var unassignable = await alice.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}",
            Json($$"""{"assigned_to_user_id":{{outsider.UserId}}}"""));
        (await unassignable.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["assigned_to_user_id"].Should().NotBeNull();
        var badStep = await alice.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}", Json("""{"current_step":6}"""));
        (await badStep.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["current_step"].Should().NotBeNull();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task AssignedToUserId_NullUnassigns_AbsentKeeps_AndUnassignStillWorks(string database)
    {
        var (host, alice, tenant) = await SetUpAsync(database);
        var bob = await host.CreateUserAsync(tenants: [tenant]);
        var id = await StartSessionAsync(alice, tenant);
        (await PatchAsync(alice, tenant, id, $$"""{"assigned_to_user_id":{{bob.UserId}}}"""))["assigned_to_user_id"]!.GetValue<long>().Should().Be(bob.UserId);

        (await PatchAsync(alice, tenant, id, """{"current_step":2}"""))["assigned_to_user_id"]!.GetValue<long>()
            .Should().Be(bob.UserId, "a body without the key leaves the assignee as it is");
        var unassigned = await PatchAsync(alice, tenant, id, """{"assigned_to_user_id":null}""");
        unassigned.ContainsKey("assigned_to_user_id").Should().BeTrue();
        unassigned["assigned_to_user_id"].Should().BeNull("an explicit null unassigns");
        (await (await alice.Client.GetAsync($"/tenants/{tenant}/onboarding/session")).ShouldBeJsonAsync(HttpStatusCode.OK))["session"]!["assigned_to_user_id"]
            .Should().BeNull();

        await PatchAsync(alice, tenant, id, $$"""{"assigned_to_user_id":{{bob.UserId}}}""");
        (await PatchAsync(alice, tenant, id, """{"unassign":true}"""))["assigned_to_user_id"].Should().BeNull("unassign is kept for older clients");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task TheLock_IsCheckedBeforeAnActiveRunIsReused(string database)
    {
        await using var host = await ApiHost.StartAsync(database, WithoutWorker());
        var tenant = NextTenant();
        var alice = await host.CreateUserAsync(scopes: [Scopes.OnboardingRead, Scopes.OnboardingWrite], tenants: [tenant]);
        await PrepareAsync(alice, tenant, hosts.Provider.BaseUrl("fast"));
        var runId = await OnboardingDriver.StartRunAsync(alice, tenant, "onboarding.connection.verify");
        var colleague = await host.CreateUserAsync(scopes: [Scopes.OnboardingRead, Scopes.OnboardingWrite], tenants: [tenant]);

        var locked = await colleague.Client.PostAsync($"/tenants/{tenant}/onboarding/tasks/onboarding.connection.verify/runs", null);
        (await locked.ShouldBeProblemAsync(HttpStatusCode.Conflict))["code"]!.GetValue<string>()
            .Should().Be("session_locked", "the queued run of the task is not handed to a user the lock keeps out");
        (await OnboardingDriver.StartRunAsync(alice, tenant, "onboarding.connection.verify")).Should().Be(runId, "the lock holder still gets the active run");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Complete_OnlyFromTheLastStep_AndThenTheSessionIsClosed(string database)
    {
        var (_, user, tenant) = await SetUpAsync(database);
        var id = await StartSessionAsync(user, tenant);

        await (await user.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}", Json("""{"current_step":3,"status":"completed"}""")))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var completed = await PatchAsync(user, tenant, id, """{"current_step":5,"status":"completed"}""");

        completed["status"]!.GetValue<string>().Should().Be("completed");
        completed["locked_by_user_id"].Should().BeNull();
        await (await user.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}", Json("""{"current_step":2}""")))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        JsonNode.DeepEquals(await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/session")).ShouldBeJsonAsync(HttpStatusCode.OK),
            JsonNode.Parse("""{"session":null}""")).Should().BeTrue();
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ProviderConnections_KeepTheSecretWriteOnly_AndRefuseUnsafeAddresses(string database)
    {
        var (_, user, tenant) = await SetUpAsync(database);

        var created = await (await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(hosts.Provider.BaseUrl("fast"))))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        created["has_client_secret"]!.GetValue<bool>().Should().BeTrue();
        created.ToJsonString().Should().NotContain(OnboardingHosts.Secret);
        (await user.Client.GetStringAsync($"/tenants/{tenant}/provider-connections")).Should().NotContain(OnboardingHosts.Secret);

        foreach (var url in new[] { "http://example.com", "https://10.1.2.3", "https://169.254.169.254/latest", "https://192.168.0.10", "https://[fd00::1]", "ftp://example.com" })
        {
            var refused = await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(url));
            (await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["base_url"].Should().NotBeNull(url);
        }

        await using var strict = await ApiHost.StartAsync(database);
        var strictUser = await strict.CreateUserAsync(tenants: [tenant]);
        var loopback = await strictUser.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(hosts.Provider.BaseUrl("fast")));
        (await loopback.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["base_url"].Should().NotBeNull("loopback is refused unless allowed");
        (await (await user.Client.GetAsync($"/tenants/{tenant}/provider-connections")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Select(c => c!["id"]!.GetValue<long>()).Should().Equal([created["id"]!.GetValue<long>()], "a refused address stores nothing");
        (await (await strictUser.Client.GetAsync($"/tenants/{tenant}/provider-connections")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Should().BeEmpty("nor does a refused loopback address");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ConnectionsAndEvidence_AreServedAPageAtATime(string database)
    {
        var (host, user, tenant) = await SetUpAsync(database);
        await PrepareAsync(user, tenant, hosts.Provider.BaseUrl("fast"));
        for (var i = 0; i < 2; i++)
        {
            await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(hosts.Provider.BaseUrl("fast")));
        }

        var connections = (await (await user.Client.GetAsync($"/tenants/{tenant}/provider-connections")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Select(c => c!["id"]!.GetValue<long>()).ToList();
        connections.Should().HaveCount(3).And.BeInAscendingOrder();
        (await (await user.Client.GetAsync($"/tenants/{tenant}/provider-connections?limit=2&offset=1")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Select(c => c!["id"]!.GetValue<long>()).Should().Equal(connections[1], connections[2]);

        var runs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var run = await StartRunAsync(user, tenant, "onboarding.connection.verify");
            runs.Add((await WaitForRunAsync(host, user, tenant, run["run_id"]!.GetValue<long>()))["run_id"]!.GetValue<long>());
        }

        var newestFirst = runs.AsEnumerable().Reverse().ToList();
        (await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/evidence?limit=2")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Select(e => e!["operation_run_id"]!.GetValue<long>()).Should().Equal(newestFirst[0], newestFirst[1]);
        (await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/evidence?limit=2&offset=2")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Select(e => e!["operation_run_id"]!.GetValue<long>()).Should().Equal(newestFirst[2]);
    }

    public static IEnumerable<object?[]> TaskScenarios => Databases.Crossed(
    [
        ["fast", "onboarding.connection.verify", "ok", null],
        ["slow", "onboarding.connection.verify", "warn", "provider_slow"],
        ["broken", "onboarding.connection.verify", "fail", "provider_error"],
        ["fast", "onboarding.permissions.verify", "ok", null],
        ["partial", "onboarding.permissions.verify", "warn", "missing_optional_permissions"],
        ["missing", "onboarding.permissions.verify", "fail", "missing_required_permissions"],
    ]);

    [Theory, MemberData(nameof(TaskScenarios))]
    public async Task Run_ExecutesAgainstTheProvider_AndRecordsEvidenceAndTheTaskSummary(
        string database, string behaviour, string task, string status, string? reason)
    {
        var (host, user, tenant) = await SetUpAsync(database);
        await PrepareAsync(user, tenant, hosts.Provider.BaseUrl(behaviour));

        var link = await StartRunAsync(user, tenant, task);
        link["url"]!.GetValue<string>().Should().Be($"http://localhost/tenants/{tenant}/operation-runs/{link["run_id"]}", "links are absolute");
        var run = await WaitForRunAsync(host, user, tenant, link["run_id"]!.GetValue<long>());

        run["status"]!.GetValue<string>().Should().Be("succeeded");
        run["attempts"]!.GetValue<int>().Should().Be(1);
        run["result"]!["status"]!.GetValue<string>().Should().Be(status);
        var evidence = await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/evidence?taskType={task}")).Content.ReadAsStringAsync();
        var rows = JsonNode.Parse(evidence)!.AsArray();
        rows.Should().ContainSingle();
        rows[0]!["status"]!.GetValue<string>().Should().Be(status);
        rows[0]!.AsObject().Should().ContainKey("reason_code");
        var reasonCode = rows[0]!["reason_code"];
        (reasonCode is null ? null : reasonCode.GetValue<string>()).Should().Be(reason);
        rows[0]!["operation_run_id"]!.GetValue<long>().Should().Be(link["run_id"]!.GetValue<long>());
        var summaries = JsonNode.Parse(await user.Client.GetStringAsync($"/tenants/{tenant}/onboarding/tasks"))!.AsArray();
        summaries.Select(s => s!["task_type"]!.GetValue<string>()).Should().BeEquivalentTo("onboarding.connection.verify", "onboarding.permissions.verify");
        var summary = summaries.Single(s => s!["task_type"]!.GetValue<string>() == task)!;
        summary["status"]!.GetValue<string>().Should().Be(status);
        summary["last_run_id"]!.GetValue<long>().Should().Be(link["run_id"]!.GetValue<long>());
        summaries.Single(s => s!["task_type"]!.GetValue<string>() != task)!["status"]!.GetValue<string>().Should().Be("unknown");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task StartingAgainWhileActive_ReturnsTheSameRun(string database)
    {
        await using var host = await ApiHost.StartAsync(database, WithoutWorker());
        var tenant = NextTenant();
        var user = await host.CreateUserAsync(tenants: [tenant]);
        await PrepareAsync(user, tenant, hosts.Provider.BaseUrl("fast"));

        var first = await StartRunAsync(user, tenant, "onboarding.connection.verify");
        var second = await StartRunAsync(user, tenant, "onboarding.connection.verify");

        second["run_id"]!.GetValue<long>().Should().Be(first["run_id"]!.GetValue<long>());
        var run = await (await user.Client.GetAsync(first["url"]!.GetValue<string>())).ShouldBeJsonAsync(HttpStatusCode.OK);
        run["status"]!.GetValue<string>().Should().Be("queued");
        run["attempts"]!.GetValue<int>().Should().Be(0);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Refusals_UnknownTask404_MissingConnection409_LockedSession409_OtherTenant404(string database)
    {
        var (host, user, tenant) = await SetUpAsync(database);
        await StartSessionAsync(user, tenant);

        await (await user.Client.PostAsync($"/tenants/{tenant}/onboarding/tasks/onboarding.nothing/runs", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var missing = await user.Client.PostAsync($"/tenants/{tenant}/onboarding/tasks/onboarding.connection.verify/runs", null);
        (await missing.ShouldBeProblemAsync(HttpStatusCode.Conflict))["error"]!.GetValue<string>().Should().Be("provider_connection_missing");

        var connection = await (await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(hosts.Provider.BaseUrl("fast"))))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var session = (await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/session")).ShouldBeJsonAsync(HttpStatusCode.OK))["session"]!;
        await PatchAsync(user, tenant, session["id"]!.GetValue<long>(), $$"""{"provider_connection_id":{{connection["id"]}}}""");
        var colleague = await host.CreateUserAsync(tenants: [tenant]);
        var locked = await colleague.Client.PostAsync($"/tenants/{tenant}/onboarding/tasks/onboarding.connection.verify/runs", null);
        (await locked.ShouldBeProblemAsync(HttpStatusCode.Conflict))["error"]!.GetValue<string>().Should().Be("session_locked");

        var stranger = await host.CreateUserAsync(tenants: [tenant + 50_000]);
        foreach (var path in new[] { "onboarding/session", "onboarding/tasks", "onboarding/evidence", "provider-connections", "operation-runs/1" })
        {
            await (await stranger.Client.GetAsync($"/tenants/{tenant}/{path}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        await (await stranger.Client.PostAsync($"/tenants/{tenant}/onboarding/session", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ACrashedWorkersRun_IsPickedUpAfterItsLeaseExpires_AndFinishesWithOneEvidenceRow(string database)
    {
        await using var crashed = await ApiHost.StartAsync(database, WithoutWorker());
        var tenant = NextTenant();
        var user = await crashed.CreateUserAsync(tenants: [tenant]);
        await PrepareAsync(user, tenant, hosts.Provider.BaseUrl("fast"));
        var runId = (await StartRunAsync(user, tenant, "onboarding.permissions.verify"))["run_id"]!.GetValue<long>();

        // A worker claims the run and dies before finishing it.
        (await crashed.Services.GetRequiredService<OperationRunWorker>().ClaimNextAsync(CancellationToken.None)).Should().Be(runId);
        var claimed = await (await user.Client.GetAsync($"/tenants/{tenant}/operation-runs/{runId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        claimed["status"]!.GetValue<string>().Should().Be("running");

        await using var survivor = await ApiHost.SharingDatabaseOf(crashed, OnboardingHosts.Settings);
        await Task.Delay(500);
        (await RunStatusAsync(survivor, user, tenant, runId))["status"]!.GetValue<string>().Should().Be("running", "the lease is still fresh");
        survivor.Clock.Advance(TimeSpan.FromSeconds(4));

        var finished = await WaitForRunAsync(survivor, user, tenant, runId);
        finished["status"]!.GetValue<string>().Should().Be("succeeded");
        finished["attempts"]!.GetValue<int>().Should().Be(2);
        await using var scope = survivor.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SessionsDbContext>();
        (await db.OnboardingEvidence.CountAsync(e => e.OperationRunId == runId)).Should().Be(1);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task TwoWorkersOnOneQueue_NeverRunTheSameRunTwice(string database)
    {
        await using var first = await ApiHost.StartAsync(database, WithoutWorker());
        var tenants = Enumerable.Range(0, 20).Select(_ => NextTenant()).ToArray();
        var user = await first.CreateUserAsync(tenants: tenants);
        var runs = new List<long>();
        foreach (var tenant in tenants)
        {
            await PrepareAsync(user, tenant, hosts.Provider.BaseUrl("fast"), ClientIdOf(tenant));
            runs.Add((await StartRunAsync(user, tenant, "onboarding.connection.verify"))["run_id"]!.GetValue<long>());
            runs.Add((await StartRunAsync(user, tenant, "onboarding.permissions.verify"))["run_id"]!.GetValue<long>());
        }

        await using var workerA = await ApiHost.SharingDatabaseOf(first, OnboardingHosts.Settings);
        await using var workerB = await ApiHost.SharingDatabaseOf(first, OnboardingHosts.Settings);
        _ = (workerA.Server, workerB.Server);

        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SessionsDbContext>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.OperationRuns.CountAsync(r => runs.Contains(r.Id) && r.Status == Domain.Onboarding.OperationRunStatus.Succeeded) < runs.Count
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var finished = await db.OperationRuns.AsNoTracking().Where(r => runs.Contains(r.Id)).ToListAsync();
        finished.Should().OnlyContain(r => r.Status == Domain.Onboarding.OperationRunStatus.Succeeded && r.Attempts == 1,
            "every run was claimed exactly once");
        (await db.OnboardingEvidence.CountAsync(e => runs.Contains(e.OperationRunId))).Should().Be(runs.Count);

        // What the provider saw: each run (a tenant's connection, one check) executed by exactly one worker, once.
        var calls = hosts.Provider.Calls.Where(call => tenants.Any(tenant => call.ClientId == ClientIdOf(tenant)))
            .GroupBy(call => (call.ClientId, call.Path)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var tenant in tenants)
        {
            foreach (var check in new[] { "/fast/health", "/fast/permissions" })
            {
                calls.GetValueOrDefault((ClientIdOf(tenant), check)).Should().Be(1, $"tenant {tenant}'s {check} check ran once");
            }
        }

        calls.Should().HaveCount(2 * tenants.Length);
    }

    private static string ClientIdOf(int tenant) => $"app-tenant-{tenant}";

    [Theory, ClassData(typeof(Databases))]
    public async Task Secrets_NeverAppearInResponsesEvidenceLogsOrTheDatabase(string database)
    {
        var (host, user, tenant) = await SetUpAsync(database);
        var clientId = $"app-{Guid.NewGuid():N}";
        await PrepareAsync(user, tenant, hosts.Provider.BaseUrl("echo"), clientId);
        var run = await StartRunAsync(user, tenant, "onboarding.connection.verify");
        var finished = await WaitForRunAsync(host, user, tenant, run["run_id"]!.GetValue<long>());

        finished["status"]!.GetValue<string>().Should().Be("succeeded");
        finished["result"]!["status"]!.GetValue<string>().Should().Be("fail");
        var evidence = (await (await user.Client.GetAsync($"/tenants/{tenant}/onboarding/evidence")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Should().ContainSingle().Subject!;
        evidence["reason_code"]!.GetValue<string>().Should().Be("provider_error");
        evidence["message"]!.GetValue<string>().Should().Contain($"the credentials '{clientId}:[redacted]' were not accepted",
            "the provider's error text is kept, with the secret it echoed redacted");
        hosts.Provider.Calls.Should().Contain(call => call.ClientId == clientId && call.Secret == OnboardingHosts.Secret,
            "the provider is called with the connection's unsealed credentials");

        var texts = new List<string>
        {
            await user.Client.GetStringAsync($"/tenants/{tenant}/provider-connections"),
            evidence.ToJsonString(),
            await user.Client.GetStringAsync($"/tenants/{tenant}/onboarding/tasks"),
            await user.Client.GetStringAsync(run["url"]!.GetValue<string>()),
        };
        texts.Should().OnlyContain(text => !text.Contains(OnboardingHosts.Secret));
        host.Logs.Should().NotBeEmpty().And.OnlyContain(line => !line.Contains(OnboardingHosts.Secret));
        (await StoredText.AllAsync(host)).Should().NotContain(OnboardingHosts.Secret);

        // Stored sealed: the column holds the v1 AES-256-GCM format (nonce, tag, ciphertext) and unseals to the secret.
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SessionsDbContext>();
        var stored = await db.ProviderConnections.AsNoTracking().Where(c => c.TenantId == tenant).Select(c => c.SealedClientSecret).SingleAsync();
        stored.Should().MatchRegex("^v1:[A-Za-z0-9+/]+={0,2}$");
        Convert.FromBase64String(stored["v1:".Length..]).Should().HaveCount(12 + 16 + System.Text.Encoding.UTF8.GetByteCount(OnboardingHosts.Secret));
        scope.ServiceProvider.GetRequiredService<Sessions.Application.Common.Security.ISecretSealer>().Unseal(stored)
            .Should().Be(OnboardingHosts.Secret);
    }

    private async Task<(ApiHost Host, TestUser User, int Tenant)> SetUpAsync(string database)
    {
        var host = await hosts.For(database);
        var tenant = NextTenant();
        return (host, await host.CreateUserAsync(scopes: [Scopes.OnboardingRead, Scopes.OnboardingWrite], tenants: [tenant]), tenant);
    }

    private static Dictionary<string, string?> WithoutWorker() =>
        new(OnboardingHosts.Settings) { ["Sessions:Onboarding:RunWorker"] = "false" };

    private static int NextTenant() => Interlocked.Increment(ref _tenants) + Random.Shared.Next(1, 1_000_000) * 1000;

    private static StringContent Connection(string baseUrl, string clientId = "app-1") => Json($$"""
        {"display_name":"Entra","base_url":"{{baseUrl}}","auth_mode":"client_secret","client_id":"{{clientId}}","client_secret":"{{OnboardingHosts.Secret}}"}
        """);

    private static async Task<long> StartSessionAsync(TestUser user, int tenant) =>
        (await (await user.Client.PostAsync($"/tenants/{tenant}/onboarding/session", null)).ShouldBeJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<long>();

    private static async Task<JsonObject> PatchAsync(TestUser user, int tenant, long id, string body) =>
        await (await user.Client.PatchAsync($"/tenants/{tenant}/onboarding/session/{id}", Json(body))).ShouldBeJsonAsync(HttpStatusCode.OK);

    /// <summary>A session with a provider connection, ready for runs.</summary>
    private static async Task PrepareAsync(TestUser user, int tenant, string baseUrl, string clientId = "app-1")
    {
        var connection = await (await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(baseUrl, clientId)))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = await StartSessionAsync(user, tenant);
        await PatchAsync(user, tenant, id, $$"""{"provider_connection_id":{{connection["id"]}}}""");
    }

    private static async Task<JsonObject> StartRunAsync(TestUser user, int tenant, string task) =>
        await (await user.Client.PostAsync($"/tenants/{tenant}/onboarding/tasks/{task}/runs", null)).ShouldBeJsonAsync(HttpStatusCode.Created);

    private static async Task<JsonObject> RunStatusAsync(ApiHost host, TestUser user, int tenant, long runId) =>
        await (await host.CreateClient(user.Token).GetAsync($"/tenants/{tenant}/operation-runs/{runId}")).ShouldBeJsonAsync(HttpStatusCode.OK);

    private static async Task<JsonObject> WaitForRunAsync(ApiHost host, TestUser user, int tenant, long runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var run = await RunStatusAsync(host, user, tenant, runId);
            if (run["status"]!.GetValue<string>() is "succeeded" or "failed" || DateTime.UtcNow > deadline)
            {
                return run;
            }

            await Task.Delay(100);
        }
    }
}
