using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Reliability;

/// <summary>
/// The real service process under faults: killed mid-write, SQLite under many writers, and its
/// PostgreSQL server stopped and started again under load.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FaultTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task KilledDuringAWriteLoad_KeepsEveryAcknowledgedWrite(string database)
    {
        await using var store = await TestDatabase.CreateAsync(database);
        var key = await ServiceProcess.CreateKeyAsync(store, "crash");
        var acknowledged = new ConcurrentBag<string>();
        await using (var service = await ServiceProcess.StartAsync(store))
        {
            using var client = service.CreateClient(key);
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    try
                    {
                        using var response = await client.PostAsync("/api/v1/session", Json($$$"""{"data":{"writer":{{{writer}}},"n":{{{n}}}}}"""));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add((await response.ShouldBeJsonAsync(HttpStatusCode.Created))["sessionId"]!.GetValue<string>());
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone: whatever was not acknowledged may be lost
                    }
                }
            })).ToList();

            var loading = Stopwatch.StartNew();
            while (acknowledged.Count < 50)
            {
                loading.Elapsed.Should().BeLessThan(Patience, $"the service acknowledges writes ({acknowledged.Count} so far)");
                await Task.Delay(20);
            }

            await service.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(Patience);
        }

        await using var restarted = await ServiceProcess.StartAsync(store);
        using var reader = restarted.CreateClient(key);
        foreach (var id in acknowledged)
        {
            (await reader.GetAsync($"/api/v1/session/{id}")).StatusCode.Should().Be(HttpStatusCode.OK, $"session {id} was acknowledged with 201");
        }
    }

    [Fact]
    public async Task SqliteUnderManyConcurrentWriters_NeverAnswers500()
    {
        var host = await hosts.For(Databases.Sqlite);
        var user = await host.CreateUserAsync(organisations: ["org_writers"]);
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var stopAt = Stopwatch.StartNew();

        var writers = Enumerable.Range(0, 48).Select(writer => Task.Run(async () =>
        {
            var connector = (await (await user.Client.PostAsync("/api/v1/session", Json("{}"))).ShouldBeJsonAsync(HttpStatusCode.Created))["sessionId"]!.GetValue<string>();
            var calculator = (await (await user.Client.PostAsync("/api/v1/benefit-calculator-sessions",
                Json("""{"mentor_id":"m","organisation_id":"org_writers"}"""))).ShouldBeJsonAsync(HttpStatusCode.Created))["session_id"]!.GetValue<string>();
            for (var n = 0; stopAt.Elapsed < TimeSpan.FromSeconds(5); n++)
            {
                statuses.Add((await user.Client.PatchAsync($"/api/v1/session/{connector}", Json($$$"""{"data":{"n{{{writer % 4}}}":{{{n}}}}}"""))).StatusCode);
                statuses.Add((await user.Client.PutAsync($"/api/v1/benefit-calculator-sessions/{calculator}", Json($$$"""
                    {"event":"CalculateRequested","payload":{"sessions":{{{n + 1}}},"avg_minutes":30,"cost_per_session":1,"cost_per_hour":10}}
                    """))).StatusCode);
            }
        }));
        await Task.WhenAll(writers).WaitAsync(Patience);

        statuses.Should().HaveCountGreaterThan(100);
        statuses.Should().OnlyContain(status => status == HttpStatusCode.OK, "lock contention is waited out, never answered with an error");
    }

    [PostgresFact]
    public async Task PostgresStoppedAndStartedUnderLoad_FailsCleanly_ThenRecoversWithoutARestart()
    {
        await using var server = await ThrowawayPostgres.StartAsync();
        await using var store = await TestDatabase.CreateAsync(Databases.Postgres, server.ConnectionString);
        var key = await ServiceProcess.CreateKeyAsync(store, "outage");
        await using var service = await ServiceProcess.StartAsync(store);
        using var client = service.CreateClient(key);
        using var stream = await OpenStreamAsync(client);
        (await PushAsync(client, "before")).Should().Be(HttpStatusCode.Created);
        (await stream.NextHandoffAsync()).Should().Be("before");

        using var stopLoad = new CancellationTokenSource();
        var outcomes = new ConcurrentBag<(int Status, string? ContentType, TimeSpan? RetryAfter, TimeSpan Took, string? Error)>();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                var started = Stopwatch.StartNew();
                try
                {
                    using var response = await client.PostAsync("/api/v1/session", Json("""{"data":{}}"""));
                    outcomes.Add(((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta,
                        started.Elapsed, null));
                }
                catch (Exception exception)
                {
                    outcomes.Add((0, null, null, started.Elapsed, exception.GetType().Name));
                }

                await Task.Delay(20);
            }
        })).ToList();

        await server.HaltAsync();
        (await WaitForReadyAsync(service, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20))).Should().BeTrue("/health/ready reports the outage");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await server.ResumeAsync();
        (await WaitForReadyAsync(service, HttpStatusCode.OK, TimeSpan.FromSeconds(30))).Should().BeTrue("the service recovers by itself");

        var pushes = new List<HttpStatusCode>();
        while (pushes.Count < 50 && pushes.LastOrDefault() is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            await Task.Delay(200);
            pushes.Add(await PushAsync(client, "after"));
        }

        string? heard;
        try
        {
            heard = await stream.NextHandoffAsync(skipping: "before");
        }
        catch (OperationCanceledException)
        {
            heard = null;
        }

        heard.Should().Be("after",
            $"the open stream hears upserts again (pushes: {string.Join(',', pushes)}; service log:\n{string.Join('\n', service.Output.TakeLast(40))})");
        await stopLoad.CancelAsync();
        await Task.WhenAll(load).WaitAsync(Patience);

        outcomes.Should().Contain(o => o.Status == 503, "requests during the outage were refused as unavailable");
        outcomes.Should().Contain(o => o.Status == 201, "requests before and after it succeeded");
        outcomes.Where(o => o.Status != 201).Should().OnlyContain(o => o.Error == null && o.Status == 503,
            "a request succeeds or is refused as unavailable (the documented 503), never a 500 or a dropped connection");
        outcomes.Where(o => o.Status == 503).Should().OnlyContain(o => o.ContentType == "application/problem+json" && o.RetryAfter == TimeSpan.FromSeconds(2),
            "every 503 is a problem that says when to retry (Retry-After: 2, as documented)");
        // A request waits at most for the connection attempt the connection string allows, then is answered.
        var connectTimeout = TimeSpan.FromSeconds(new Npgsql.NpgsqlConnectionStringBuilder(store.ConnectionString).Timeout);
        outcomes.Should().OnlyContain(o => o.Took < connectTimeout + TimeSpan.FromSeconds(3),
            $"nothing waits much past the {connectTimeout.TotalSeconds} s connect timeout (slowest: {outcomes.Max(o => o.Took)})");
    }

    /// <summary>How long any wait of these tests may last before a service that hangs fails them instead.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static async Task<bool> WaitForReadyAsync(ServiceProcess service, HttpStatusCode expected, TimeSpan within)
    {
        using var probe = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < within)
        {
            try
            {
                if ((await probe.GetAsync("/health/ready")).StatusCode == expected)
                {
                    return true;
                }
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static async Task<HttpStatusCode> PushAsync(HttpClient client, string handoff)
    {
        using var response = await client.PostAsync("/api/projects/1/wizard/sessions", Json($$"""
            {"session_id":"outage-run","workflow_id":"outage","skill_id":"nextjs","started_at":"2026-11-26T10:00:00Z",
             "run_phase":"running","tasks":[],"handoff_text":"{{handoff}}"}
            """));
        return response.StatusCode;
    }

    private static async Task<RunStream> OpenStreamAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/projects/1/wizard/sessions/stream?workflow_id=outage", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return new RunStream(response, SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator());
    }

    private sealed class RunStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items) : IDisposable
    {
        /// <summary>The hand-off text of the next run frame, passing over frames that show <paramref name="skipping"/>.</summary>
        public async Task<string?> NextHandoffAsync(string? skipping = null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await items.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
            {
                if (items.Current.EventType == SseParser.EventTypeDefault
                    && JsonNode.Parse(items.Current.Data)?["handoff_text"]?.GetValue<string>() is { } handoff && handoff != skipping)
                {
                    return handoff;
                }
            }

            return null;
        }

        public void Dispose() => response.Dispose();
    }
}
