using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Net.Sockets;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Api.IntegrationTests.WizardRuns;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Reliability;

/// <summary>
/// Kestrel's connection bound and idle timeouts, on a real loopback port: clients holding idle
/// connections cannot use up the process's file descriptors, and cannot shut out the clients
/// already being served.
/// </summary>
public sealed class ConnectionLimitTests
{
    private const string Runs = "/api/projects/1/wizard/sessions";

    [Theory, ClassData(typeof(Databases))]
    public async Task AtTheConnectionLimit_NewConnectionsAreRefusedQuickly_WhileOpenRequestsAndStreamsCarryOn(string database)
    {
        const int limit = 12;
        await using var host = await ApiHost.StartAsync(database,
            new Dictionary<string, string?> { ["Sessions:Api:MaxConcurrentConnections"] = limit.ToString() }, kestrel: true);
        var user = await host.CreateUserAsync(projects: [1]);
        using var streaming = Client(host, user.Token);
        using var working = Client(host, user.Token);
        using var stream = await EventStream.OpenAsync(streaming, $"{Runs}/stream?workflow_id=crowded");
        (await working.GetAsync(Runs)).StatusCode.Should().Be(HttpStatusCode.OK);

        // Idle connections that never send a request take every place left.
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < limit - 2; i++)
            {
                idle.Add(await ConnectAsync(host));
            }

            await Task.Delay(500);

            // One more is closed by the server at once: a client learns it in well under a second, it does not hang.
            using var refused = await ConnectAsync(host);
            var watch = Stopwatch.StartNew();
            (await ReadUntilClosedAsync(refused, TimeSpan.FromSeconds(5))).Should().BeTrue("the server closes a connection past its limit");
            watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
            using var newcomer = Client(host, user.Token);
            await FluentActions.Awaiting(() => newcomer.GetAsync("/health/live")).Should().ThrowAsync<HttpRequestException>();

            // The connections already being served carry on: requests, writes, and the stream's frames.
            (await working.GetAsync(Runs)).StatusCode.Should().Be(HttpStatusCode.OK);
            await (await working.PostAsync(Runs, Json(WizardRunsApiTests.CliPush($"crowded-{Guid.NewGuid():N}", workflow: "crowded"))))
                .ShouldBeJsonAsync(HttpStatusCode.Created);
            (await stream.NextAsync(TimeSpan.FromSeconds(5)))!.Value.EventType.Should().Be(SseParser.EventTypeDefault);
        }
        finally
        {
            idle.ForEach(connection => connection.Dispose());
        }

        // Once the idle connections are gone, new clients are served again.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            using var later = Client(host, user.Token);
            try
            {
                (await later.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
                break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task IdleConnections_AreClosedAfterTheKeepAliveAndHeaderTimeouts_ButStreamsStayOpen(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:KeepAliveTimeout"] = "00:00:02",
            ["Sessions:Api:RequestHeadersTimeout"] = "00:00:02",
        }, kestrel: true);
        var user = await host.CreateUserAsync(projects: [1]);
        using var streaming = Client(host, user.Token);
        using var stream = await EventStream.OpenAsync(streaming, $"{Runs}/stream?workflow_id=patient");

        using var silent = await ConnectAsync(host);
        using var slow = await ConnectAsync(host);
        await slow.GetStream().WriteAsync("GET /health/live HTTP/1.1\r\nHost: localhost\r\n"u8.ToArray());
        var watch = Stopwatch.StartNew();

        // Kestrel checks its timeouts on a one-second heartbeat, which a loaded machine delays further: the
        // connections go a few seconds after their two, far sooner than the stream, which stays open throughout.
        (await ReadUntilClosedAsync(silent, TimeSpan.FromSeconds(10))).Should().BeTrue("a connection that never sends a request is closed");
        (await ReadUntilClosedAsync(slow, TimeSpan.FromSeconds(10))).Should().BeTrue("a request whose headers never finish is cut off");
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1)).And.BeLessThan(TimeSpan.FromSeconds(9));

        // The stream has been open longer than either timeout and still delivers.
        using var writer = Client(host, user.Token);
        await (await writer.PostAsync(Runs, Json(WizardRunsApiTests.CliPush($"patient-{Guid.NewGuid():N}", workflow: "patient"))))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        (await stream.NextAsync(TimeSpan.FromSeconds(5)))!.Value.EventType.Should().Be(SseParser.EventTypeDefault);
    }

    /// <summary>A client of its own connection pool, so each one opens its own connection.</summary>
    private static HttpClient Client(ApiHost host, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<TcpClient> ConnectAsync(ApiHost host)
    {
        var client = new TcpClient();
        await client.ConnectAsync(host.BaseAddress!.Host, host.BaseAddress.Port);
        return client;
    }

    /// <summary>Whether the server closed (or reset) the connection within the time, reading and dropping whatever it sent first.</summary>
    private static async Task<bool> ReadUntilClosedAsync(TcpClient connection, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            while (await connection.GetStream().ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
