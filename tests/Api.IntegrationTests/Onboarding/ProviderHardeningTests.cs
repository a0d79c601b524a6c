using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Onboarding.OnboardingDriver;

namespace Sessions.Api.IntegrationTests.Onboarding;

/// <summary>
/// A tenant's provider is an endpoint on the internet that anyone with <c>onboarding:write</c> can
/// register: what it answers is hostile input. An answer is read only up to its bound, must have
/// the documented shape, and anything else fails the run at once with evidence saying why.
/// </summary>
[Collection(OnboardingCollection.Name)]
public sealed class ProviderHardeningTests(OnboardingHosts hosts)
{
    private const string Health = "onboarding.connection.verify";
    private const string Permissions = "onboarding.permissions.verify";

    /// <summary>A run settles in well under a second against the loopback provider; a run left to its lease (3 s) and retried would not.</summary>
    private static readonly TimeSpan Settles = TimeSpan.FromSeconds(15);

    public static TheoryData<string, string> DatabasesAndTasks() => Cross([Health, Permissions]);

    [Theory, MemberData(nameof(DatabasesAndTasks))]
    public async Task AnEndlessAnswer_IsReadOnlyUpToItsBound_AndFailsTheRunWithProviderResponseTooLarge(string database, string task)
    {
        // The answer never ends: a service that read it whole would still be reading when the probe
        // timeout (3 s) cut it off, and would record provider_unreachable, not a verdict on the size.
        var baseUrl = hosts.Provider.Answering(async context =>
        {
            context.Response.ContentType = "application/json";
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            try
            {
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException)
            {
                // The service hung up.
            }
        });

        var watch = Stopwatch.StartNew();
        var (run, evidence) = await RunAgainstAsync(database, baseUrl, task);

        ShouldHaveFailedOnce(run, evidence, "provider_response_too_large");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "the service stops at the bound, well before the probe timeout");
    }

    [Theory, MemberData(nameof(DatabasesAndTasks))]
    public async Task AnAnswerDeclaringALengthPastItsBound_IsRefusedBeforeItsBodyIsRead(string database, string task)
    {
        var baseUrl = hosts.Provider.Answering(async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 400L * 1024 * 1024;
            await context.Response.Body.WriteAsync("{\"granted\":["u8.ToArray(), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });

        var watch = Stopwatch.StartNew();
        var (run, evidence) = await RunAgainstAsync(database, baseUrl, task);

        ShouldHaveFailedOnce(run, evidence, "provider_response_too_large");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "the declared length decides without waiting for the body (the probe timeout is 3 s)");
    }

    /// <summary>The default bounds: 4 KB for /health, 64 KB for /permissions; an answer of exactly the bound is read, one byte more is refused.</summary>
    [Theory]
    [InlineData(Health, 4 * 1024, "ok", null)]
    [InlineData(Health, 4 * 1024 + 1, "fail", "provider_response_too_large")]
    [InlineData(Permissions, 64 * 1024, "ok", null)]
    [InlineData(Permissions, 64 * 1024 + 1, "fail", "provider_response_too_large")]
    public async Task AnswersUpToTheirBound_AreRead_AndOneBytePastIt_Refused(string task, int length, string status, string? reason)
    {
        foreach (var database in DatabaseNames())
        {
            var prefix = """{"granted":["directory.read","users.read","audit.read"],"padding":""";
            var body = Encoding.ASCII.GetBytes(prefix + '"' + new string('x', length - prefix.Length - 3) + "\"}");
            body.Should().HaveCount(length);
            var baseUrl = hosts.Provider.Answering(context =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.Body.WriteAsync(body).AsTask();
            });

            var (run, evidence) = await RunAgainstAsync(database, baseUrl, task);

            run["attempts"]!.GetValue<int>().Should().Be(1, database);
            evidence.Should().ContainSingle(database);
            evidence[0]["status"]!.GetValue<string>().Should().Be(status, $"{database}: {evidence[0].ToJsonString()}");
            evidence[0]["reason_code"]?.GetValue<string>().Should().Be(reason, database);
        }
    }

    /// <summary>Permission answers that are not <c>{"granted": ["…", …]}</c>, as bytes.</summary>
    public static readonly IReadOnlyDictionary<string, byte[]> MalformedPermissionAnswers = new Dictionary<string, byte[]>
    {
        ["numbers in granted"] = """{"granted":[1,2]}"""u8.ToArray(),
        ["objects in granted"] = """{"granted":[{"name":"directory.read"}]}"""u8.ToArray(),
        ["null in granted"] = """{"granted":["directory.read",null]}"""u8.ToArray(),
        ["granted a string"] = """{"granted":"directory.read users.read"}"""u8.ToArray(),
        ["granted null"] = """{"granted":null}"""u8.ToArray(),
        ["granted missing"] = """{"permissions":["directory.read","users.read"]}"""u8.ToArray(),
        ["an array"] = """["directory.read","users.read","audit.read"]"""u8.ToArray(),
        ["a string"] = "\"directory.read\""u8.ToArray(),
        ["not JSON"] = "<html><body>ok</body></html>"u8.ToArray(),
        ["truncated"] = """{"granted":["directory.read","users."""u8.ToArray(),
        ["empty"] = [],
        ["invalid UTF-8 in a string"] = [.. """{"granted":["directory.read","users.read","""u8, 0xFF, 0xFE, .. "\"]}"u8],
        ["a lone surrogate"] = """{"granted":["directory.read","users.read","\ud800"]}"""u8.ToArray(),
        ["nested 10,000 deep"] = Encoding.ASCII.GetBytes("{\"granted\":" + new string('[', 10_000) + new string(']', 10_000) + "}"),
    };

    public static TheoryData<string, string> DatabasesAndMalformedAnswers() => Cross(MalformedPermissionAnswers.Keys);

    [Theory, MemberData(nameof(DatabasesAndMalformedAnswers))]
    public async Task AMalformedPermissionAnswer_FailsTheRunAtOnce_WithProviderResponseInvalid(string database, string answer)
    {
        var baseUrl = hosts.Provider.Answering(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(MalformedPermissionAnswers[answer]).AsTask();
        });

        var (run, evidence) = await RunAgainstAsync(database, baseUrl, Permissions);

        ShouldHaveFailedOnce(run, evidence, "provider_response_invalid");
        evidence[0]["message"]!.GetValue<string>().Should().StartWith("The provider's /permissions answer is not usable");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ClientSecretsShorterThan16Characters_AreRefusedNamingClientSecret_AndChangeNothing(string database)
    {
        var host = await hosts.For(database);
        var (user, tenant) = await TenantUserAsync(host);

        foreach (var secret in new[] { "is", "0123456789abcde" })
        {
            var refused = await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(hosts.Provider.BaseUrl("fast"), secret));
            (await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest))["errors"]!["client_secret"].Should().NotBeNull(secret);
        }

        (await (await user.Client.GetAsync($"/tenants/{tenant}/provider-connections")).ShouldBeJsonArrayAsync(HttpStatusCode.OK))
            .Should().BeEmpty("a refused registration stores nothing");

        // Sixteen characters are enough, and the provider's texts come back whole.
        await PrepareAsync(user, tenant, hosts.Provider.BaseUrl("broken"), secret: "0123456789abcdef");
        var runId = await StartRunAsync(user, tenant, Health);
        (await WaitForRunAsync(user, tenant, runId, Settles))["status"]!.GetValue<string>().Should().Be("succeeded");
        (await EvidenceOfAsync(user, tenant, runId)).Should().ContainSingle()
            .Which["message"]!.GetValue<string>().Should().Be("The provider's health check answered 500.");
    }

    public static TheoryData<string, string> DatabasesAndNetworkFailures() => Cross(["refused", "tls", "timeout"]);

    [Theory, MemberData(nameof(DatabasesAndNetworkFailures))]
    public async Task AnUnreachableProvider_IsDescribedInWords_NeverByAnExceptionType(string database, string failure)
    {
        var (baseUrl, expected) = failure switch
        {
            "refused" => ($"http://127.0.0.1:{ClosedLoopbackPort()}/gone", "connection refused"),
            "tls" => ($"https://127.0.0.1:{hosts.Provider.Address.Port}/fast", "TLS handshake failed"),
            _ => (hosts.Provider.Answering(async context =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The service gave up, as it should.
                }
            }), "timed out after 3 s"),
        };

        var (run, evidence) = await RunAgainstAsync(database, baseUrl, Health);

        ShouldHaveFailedOnce(run, evidence, "provider_unreachable");
        evidence[0]["message"]!.GetValue<string>().Should().Be($"The provider could not be reached: {expected}.");
        (run.ToJsonString() + evidence[0].ToJsonString()).Should().NotContainAny("Exception", "System.", "Sessions.");
    }

    /// <summary>A loopback port nobody listens on: bound, read and released.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<(System.Text.Json.Nodes.JsonObject Run, List<System.Text.Json.Nodes.JsonObject> Evidence)> RunAgainstAsync(
        string database, string baseUrl, string task)
    {
        var host = await hosts.For(database);
        var (user, tenant) = await TenantUserAsync(host);
        await PrepareAsync(user, tenant, baseUrl);
        var runId = await StartRunAsync(user, tenant, task);
        var run = await WaitForRunAsync(user, tenant, runId, Settles);
        return (run, await EvidenceOfAsync(user, tenant, runId));
    }

    /// <summary>The task ran once (no retry after a lease ran out) and its verdict is a failure with this reason.</summary>
    private static void ShouldHaveFailedOnce(System.Text.Json.Nodes.JsonObject run, List<System.Text.Json.Nodes.JsonObject> evidence, string reason)
    {
        run["status"]!.GetValue<string>().Should().Be("succeeded", run.ToJsonString());
        run["attempts"]!.GetValue<int>().Should().Be(1, "the run is settled by its first attempt");
        run["result"]!["status"]!.GetValue<string>().Should().Be("fail");
        evidence.Should().ContainSingle();
        evidence[0]["status"]!.GetValue<string>().Should().Be("fail");
        evidence[0]["reason_code"]!.GetValue<string>().Should().Be(reason, evidence[0].ToJsonString());
    }

    /// <summary>The databases of <see cref="Databases"/>, by name.</summary>
    private static IEnumerable<string> DatabaseNames() =>
        Databases.PostgresServer is null ? [Databases.Sqlite] : [Databases.Sqlite, Databases.Postgres];

    private static TheoryData<string, string> Cross(IEnumerable<string> values)
    {
        var rows = new TheoryData<string, string>();
        foreach (var database in DatabaseNames())
        {
            foreach (var value in values)
            {
                rows.Add(database, value);
            }
        }

        return rows;
    }
}
