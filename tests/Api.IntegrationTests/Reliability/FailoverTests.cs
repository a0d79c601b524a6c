using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Api.IntegrationTests.Onboarding;
using Xunit.Abstractions;

namespace Sessions.Api.IntegrationTests.Reliability;

/// <summary>
/// Three instances of the built service on one PostgreSQL behind nginx (round robin), mixed traffic over
/// every module for <c>SESSIONS_FAILOVER_SECONDS</c> (60 by default) with streams open through the balancer
/// and onboarding runs in flight, and one instance killed with SIGKILL halfway. Then: every write
/// acknowledged with 2xx is stored; every onboarding run reaches a final state with exactly one evidence
/// row; every stream that was on the killed instance reconnects through the balancer and hears the upserts
/// made after; the surviving instances answer no 5xx.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Instances = 3;
    private const int Workers = 6;
    private const int Streams = 12;
    private const int Tenants = 8;
    private const string Handle = "failover";
    private const string StreamedWorkflow = "failover-stream";
    private const string StreamedRun = "failover-streamed-run";
    private static readonly string[] TaskTypes = ["onboarding.connection.verify", "onboarding.permissions.verify"];

    private static TimeSpan Duration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SESSIONS_FAILOVER_SECONDS"), out var seconds) ? seconds : 60);

    /// <summary>Writes acknowledged with 2xx, each with the read that proves it stored.</summary>
    private readonly ConcurrentQueue<Acknowledged> _acknowledged = new();

    /// <summary>Answers that break the guarantees: a 5xx from a surviving instance, or a failure of the balancer.</summary>
    private readonly ConcurrentQueue<string> _failures = new();

    private readonly ConcurrentDictionary<long, int> _runs = new();
    private readonly Stopwatch _clock = new();
    private long _requests;
    private long _refusedByTheDeadUpstream;
    private string? _victim;
    private TimeSpan? _killedAt;

    [PostgresFact]
    public async Task ThreeInstancesBehindNginx_OneKilledUnderLoad_LoseNothingAcknowledged()
    {
        await using var provider = await FakeProvider.StartAsync();
        await using var store = await TestDatabase.CreateAsync(Databases.Postgres);
        var created = await ServiceProcess.RunVerbAsync(store, "keys", "create", "--user", Handle,
            "--scopes", string.Join(',', Sessions.Domain.Access.Scopes.All), "--projects", "1",
            "--tenants", string.Join(',', Enumerable.Range(1, Tenants)), "--organisations", "org_1");
        created.ExitCode.Should().Be(0, created.Error);
        var key = created.Lines[^1];

        var settings = new Dictionary<string, string>
        {
            ["Sessions__Onboarding__AllowLoopbackProviders"] = "true",
            ["Sessions__Onboarding__WorkerPollInterval"] = "00:00:00.200",
            ["Sessions__Onboarding__Lease"] = "00:00:03",
        };
        var instances = new List<ServiceProcess>();
        await using var _ = new Disposer(instances);
        for (var i = 0; i < Instances; i++)
        {
            instances.Add(await ServiceProcess.StartAsync(store, settings)); // one after another: the first migrates
        }

        await using var balancer = await LoadBalancer.StartAsync(instances.Select(i => i.BaseAddress));
        using var client = new HttpClient { BaseAddress = balancer.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);

        await PrepareOnboardingAsync(client, provider);
        _clock.Start();
        using var stopTraffic = new CancellationTokenSource();
        using var stopStreams = new CancellationTokenSource();

        // Streams first, so round robin spreads them over the three instances.
        var watches = Enumerable.Range(0, Streams).Select(i => new StreamWatch(i)).ToList();
        var streams = watches.Select(watch => WatchStreamAsync(client, watch, stopStreams.Token)).ToList();
        await WaitUntilAsync(() => watches.All(w => w.Connections.Count > 0), TimeSpan.FromSeconds(60), "every stream opened");
        var pusher = new StreamedRunPusher(this, client);
        var traffic = new List<Task> { pusher.RunAsync(stopTraffic.Token), DriveOnboardingAsync(client, stopTraffic.Token) };
        traffic.AddRange(Enumerable.Range(0, Workers).Select(worker => DriveModulesAsync(client, worker, stopTraffic.Token)));

        // Halfway: SIGKILL the instance holding the most streams.
        await Task.Delay(Duration / 2);
        var victim = instances.OrderByDescending(i => watches.Count(w => w.Current == Upstream(i))).First();
        var streamsOnVictim = watches.Where(w => w.Current == Upstream(victim)).ToList();
        _victim = Upstream(victim);
        _killedAt = _clock.Elapsed; // when SIGKILL is sent: waiting for the process to be reaped takes a while more
        await victim.KillAsync();
        output.WriteLine($"killed {_victim} at {_killedAt.Value.TotalSeconds:F1} s with {streamsOnVictim.Count} of {Streams} streams on it");

        await Task.Delay(Duration / 2);
        await stopTraffic.CancelAsync();
        await Task.WhenAll(traffic);

        // One more upsert after the traffic: every stream, reconnected or not, must hear it.
        var last = await pusher.PushAsync(CancellationToken.None);
        last.Should().NotBeNull("the balancer takes an upsert after the failover");
        await WaitUntilAsync(() => watches.All(w => w.LastSeen >= last!.Value), TimeSpan.FromSeconds(20), "every stream heard the last upsert");
        await stopStreams.CancelAsync();
        await Task.WhenAll(streams);

        var runs = await WaitForRunsAsync(client);
        var evidence = await EvidencePerRunAsync(client);
        var (stored, missing) = await VerifyAcknowledgedAsync(client);

        var reconnects = streamsOnVictim.Select(w => w.ReconnectedAfter(_killedAt.Value)).ToList();
        output.WriteLine($"requests {_requests}; writes acknowledged {_acknowledged.Count}, stored {stored}; " +
                         $"runs {runs.Count} ({runs.Count(r => r.Value.Attempts > 1)} retried after the kill), evidence rows {evidence.Values.Sum()}; " +
                         $"streams on the killed instance {streamsOnVictim.Count}, reconnected {reconnects.Count(r => r is not null)}, " +
                         $"time to reconnect {string.Join(", ", reconnects.Select(r => r is null ? "never" : $"{r.Value.TotalMilliseconds:F0} ms"))}; " +
                         $"answers of the dead upstream (502 from nginx, unacknowledged) {_refusedByTheDeadUpstream}");

        _failures.Should().BeEmpty("the surviving instances answer no 5xx and the balancer fails no request it could pass on");
        missing.Should().BeEmpty("every write acknowledged with 2xx is stored");
        _acknowledged.Count.Should().BeGreaterThan(Workers * 10, "the traffic wrote");
        runs.Should().NotBeEmpty().And.OnlyContain(r => r.Value.Status == "succeeded" || r.Value.Status == "failed",
            "every onboarding run reaches a final state");
        runs.Keys.Should().OnlyContain(run => evidence.GetValueOrDefault(run) == 1, "each run recorded exactly one evidence row");
        streamsOnVictim.Should().NotBeEmpty("the killed instance held streams");
        reconnects.Should().OnlyContain(r => r != null, "every stream on the killed instance reconnected through the balancer");
        streamsOnVictim.Should().OnlyContain(w => w.HeardAfterReconnect, "and heard upserts made after it reconnected");
        watches.Except(streamsOnVictim).Should().OnlyContain(w => w.Connections.Count == 1, "a stream on a surviving instance was never cut");
        foreach (var survivor in instances.Where(i => i != victim))
        {
            survivor.ErrorLines.Should().BeEmpty($"{Upstream(survivor)} logged no error");
        }
    }

    /// <summary>One round per worker over every module; each acknowledged write is remembered with the read that proves it.</summary>
    private async Task DriveModulesAsync(HttpClient client, int worker, CancellationToken stop)
    {
        for (var next = 0; !stop.IsCancellationRequested; next++)
        {
            var round = next; // one variable per round: the checks below run after the loop
            var connector = await WriteAsync(client, HttpMethod.Post, "/api/v1/session", $$$"""{"data":{"worker":{{{worker}}},"round":{{{round}}}}}""", "sessionId");
            if (connector is not null)
            {
                Acknowledge($"/api/v1/session/{connector}", body => body["data"]!["round"]!.GetValue<int>() == round);
                if (await WriteAsync(client, HttpMethod.Patch, $"/api/v1/session/{connector}", $$$"""{"data":{"patched":{{{round}}}}}""") is not null)
                {
                    Acknowledge($"/api/v1/session/{connector}", body => body["data"]!["patched"]?.GetValue<int>() == round);
                }
            }

            var wizard = await WriteAsync(client, HttpMethod.Post, "/api/v1/wizard-sessions", $$"""{"wizard_id":"onboarding-wizard-v3","user_id":"{{Handle}}"}""", "session_id");
            if (wizard is not null)
            {
                Acknowledge($"/api/v1/wizard-sessions/{wizard}", _ => true);
                if (await WriteAsync(client, HttpMethod.Post, $"/api/v1/wizard-sessions/{wizard}/next-step", """{"answers":{"screen-01":{"chosen":["opt-a"]}}}""") is not null)
                {
                    Acknowledge($"/api/v1/wizard-sessions/{wizard}", body => body["answers"]?["screen-01"] is not null);
                }
            }

            var calculator = await WriteAsync(client, HttpMethod.Post, "/api/v1/benefit-calculator-sessions", """{"mentor_id":"m","organisation_id":"org_1"}""", "session_id");
            if (calculator is not null)
            {
                Acknowledge($"/api/v1/benefit-calculator-sessions/{calculator}", _ => true);
                var result = await WriteAsync(client, HttpMethod.Put, $"/api/v1/benefit-calculator-sessions/{calculator}",
                    $$$"""{"event":"CalculateRequested","payload":{"sessions":{{{round % 40 + 1}}},"avg_minutes":30,"cost_per_session":3.5,"cost_per_hour":30}}""", "result_id");
                if (result is not null)
                {
                    Acknowledge($"/api/v1/benefit-calculator-results/{result}", _ => true);
                }
            }

            var run = $"failover-{worker}-{round}";
            if (await WriteAsync(client, HttpMethod.Post, "/api/projects/1/wizard/sessions", $$"""
                    {"session_id":"{{run}}","workflow_id":"failover-traffic","skill_id":"nextjs","started_at":"2026-12-01T10:00:00Z",
                     "run_phase":"running","tasks":[{"id":"0","title":"Round {{round}}","status":"in_progress"}]}
                    """) is not null)
            {
                Acknowledge($"/api/projects/1/wizard/sessions/{run}", body => body["tasks"]![0]!["title"]!.GetValue<string>() == $"Round {round}");
            }

            foreach (var read in new[] { "/api/v1/session?limit=5", "/api/projects/1/wizard/sessions/latest?workflow_id=failover-traffic",
                                         $"/tenants/{worker % Tenants + 1}/onboarding/tasks", "/api/v1/wizard-sessions?limit=5" })
            {
                await WriteAsync(client, HttpMethod.Get, read, null);
            }
        }
    }

    /// <summary>Keeps runs of both tasks in flight on every tenant: a new run as soon as the last one finished.</summary>
    private async Task DriveOnboardingAsync(HttpClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            for (var tenant = 1; tenant <= Tenants; tenant++)
            {
                foreach (var task in TaskTypes)
                {
                    if (await WriteAsync(client, HttpMethod.Post, $"/tenants/{tenant}/onboarding/tasks/{task}/runs", null, "run_id") is { } run)
                    {
                        _runs.TryAdd(long.Parse(run), tenant);
                    }
                }
            }

            await Task.Delay(300, CancellationToken.None);
        }
    }

    /// <summary>
    /// One request through the balancer. Returns the named property of a 2xx answer (or "" when none is
    /// named), null otherwise. A 5xx is a failure unless nginx made it because the killed instance was gone.
    /// </summary>
    private async Task<string?> WriteAsync(HttpClient client, HttpMethod method, string path, string? body, string? property = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await client.SendAsync(request);
            Interlocked.Increment(ref _requests);
            var text = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                if (LoadBalancer.AnsweredBy(response) == _victim)
                {
                    Interlocked.Increment(ref _refusedByTheDeadUpstream);
                }
                else
                {
                    _failures.Enqueue($"{method} {path}: {(int)response.StatusCode} from {LoadBalancer.AnsweredBy(response) ?? "nginx"} at {_clock.Elapsed.TotalSeconds:F1} s: {text}");
                }

                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            return property is null ? "" : JsonNode.Parse(text)![property]!.ToString();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            _failures.Enqueue($"{method} {path}: {exception.GetType().Name} {exception.Message} at {_clock.Elapsed.TotalSeconds:F1} s");
            return null;
        }
    }

    private void Acknowledge(string url, Func<JsonObject, bool> stored) => _acknowledged.Enqueue(new Acknowledged(url, stored));

    /// <summary>Reads every acknowledged write back through the balancer (the surviving instances).</summary>
    private async Task<(int Stored, List<string> Missing)> VerifyAcknowledgedAsync(HttpClient client)
    {
        var missing = new ConcurrentQueue<string>();
        var stored = 0;
        await Parallel.ForEachAsync(_acknowledged, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (write, _) =>
        {
            using var response = await client.GetAsync(write.Url);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && write.Stored(JsonNode.Parse(text)!.AsObject()))
            {
                Interlocked.Increment(ref stored);
            }
            else
            {
                missing.Enqueue($"{write.Url}: {(int)response.StatusCode} {text}");
            }
        });
        return (stored, missing.ToList());
    }

    private async Task<Dictionary<long, (string Status, int Attempts)>> WaitForRunsAsync(HttpClient client)
    {
        var runs = new Dictionary<long, (string Status, int Attempts)>();
        var deadline = Stopwatch.StartNew();
        foreach (var (run, tenant) in _runs)
        {
            while (true)
            {
                var answer = JsonNode.Parse(await client.GetStringAsync($"/tenants/{tenant}/operation-runs/{run}"))!;
                runs[run] = (answer["status"]!.GetValue<string>(), answer["attempts"]!.GetValue<int>());
                if (runs[run].Status is "succeeded" or "failed" || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    break;
                }

                await Task.Delay(200);
            }
        }

        return runs;
    }

    /// <summary>How many evidence rows each run recorded, over every tenant's whole evidence list.</summary>
    private static async Task<Dictionary<long, int>> EvidencePerRunAsync(HttpClient client)
    {
        var rows = new Dictionary<long, int>();
        for (var tenant = 1; tenant <= Tenants; tenant++)
        {
            for (var offset = 0; ; offset += 100)
            {
                var page = JsonNode.Parse(await client.GetStringAsync($"/tenants/{tenant}/onboarding/evidence?limit=100&offset={offset}"))!.AsArray();
                foreach (var row in page)
                {
                    var run = row!["operation_run_id"]!.GetValue<long>();
                    rows[run] = rows.GetValueOrDefault(run) + 1;
                }

                if (page.Count < 100)
                {
                    break;
                }
            }
        }

        return rows;
    }

    /// <summary>Every tenant gets a provider connection (a fast one or one that answers in 700 ms) and an active session using it.</summary>
    private static async Task PrepareOnboardingAsync(HttpClient client, FakeProvider provider)
    {
        for (var tenant = 1; tenant <= Tenants; tenant++)
        {
            var connection = await client.PostAsync($"/tenants/{tenant}/provider-connections", new StringContent($$"""
                {"display_name":"Provider {{tenant}}","base_url":"{{provider.BaseUrl(tenant % 2 == 0 ? "fast" : "slow")}}","auth_mode":"client_secret",
                 "client_id":"app-{{tenant}}","client_secret":"failover-client-secret-{{tenant}}"}
                """, Encoding.UTF8, "application/json"));
            connection.StatusCode.Should().Be(HttpStatusCode.Created, await connection.Content.ReadAsStringAsync());
            var connectionId = JsonNode.Parse(await connection.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
            var session = await client.PostAsync($"/tenants/{tenant}/onboarding/session", null);
            session.StatusCode.Should().Be(HttpStatusCode.Created);
            var sessionId = JsonNode.Parse(await session.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
            var assigned = await client.PatchAsync($"/tenants/{tenant}/onboarding/session/{sessionId}",
                new StringContent($$"""{"provider_connection_id":{{connectionId}}}""", Encoding.UTF8, "application/json"));
            assigned.StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    /// <summary>
    /// Keeps one stream open through the balancer, as an <c>EventSource</c> does: when it breaks, it opens it
    /// again at once, and notes which instance served each connection and what it heard.
    /// </summary>
    private async Task WatchStreamAsync(HttpClient client, StreamWatch watch, CancellationToken stop)
    {
        var url = $"/api/projects/1/wizard/sessions/stream?workflow_id={StreamedWorkflow}";
        while (!stop.IsCancellationRequested)
        {
            EventStream stream;
            try
            {
                stream = await EventStream.OpenAsync(client, url, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException exception)
            {
                if ((int?)exception.StatusCode >= 500 && _victim is null)
                {
                    _failures.Enqueue($"stream {watch.Index}: {exception.Message}");
                }

                await Task.Delay(100, CancellationToken.None);
                continue;
            }

            using (stream)
            {
                watch.Connected(LoadBalancer.AnsweredBy(stream.Response)!, _clock.Elapsed);
                try
                {
                    while (await stream.NextAsync(TimeSpan.FromSeconds(30)) is { } frame)
                    {
                        if (frame.EventType == SseParser.EventTypeDefault
                            && long.TryParse(JsonNode.Parse(frame.Data)?["handoff_text"]?.GetValue<string>(), out var sequence))
                        {
                            watch.Heard(sequence, _clock.Elapsed);
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception) when (exception is IOException or HttpRequestException or OperationCanceledException or TimeoutException)
                {
                    // The instance behind this connection is gone (or the stream stalled): reconnect.
                }
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            deadline.Elapsed.Should().BeLessThan(within, what);
            await Task.Delay(50);
        }
    }

    private static string Upstream(ServiceProcess instance) => $"{instance.BaseAddress.Host}:{instance.BaseAddress.Port}";

    private sealed record Acknowledged(string Url, Func<JsonObject, bool> Stored);

    /// <summary>Upserts the streamed run every 200 ms with a rising sequence number as its hand-off text.</summary>
    private sealed class StreamedRunPusher(FailoverTests test, HttpClient client)
    {
        private long _sequence;

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await PushAsync(stop);
                await Task.Delay(200, CancellationToken.None);
            }
        }

        /// <summary>The sequence number of an acknowledged upsert, or null.</summary>
        public async Task<long?> PushAsync(CancellationToken stop)
        {
            var sequence = Interlocked.Increment(ref _sequence);
            var acknowledged = await test.WriteAsync(client, HttpMethod.Post, "/api/projects/1/wizard/sessions", $$"""
                {"session_id":"{{StreamedRun}}","workflow_id":"{{StreamedWorkflow}}","skill_id":"nextjs","started_at":"2026-12-01T10:00:00Z",
                 "run_phase":"running","tasks":[],"handoff_text":"{{sequence}}"}
                """);
            return acknowledged is null ? null : sequence;
        }
    }

    /// <summary>What one stream went through: the instance of each connection, and the upserts it heard.</summary>
    private sealed class StreamWatch(int index)
    {
        private readonly object _gate = new();
        private long _firstSequenceOfLastConnection = -1;

        public int Index { get; } = index;
        public List<(string Upstream, TimeSpan At)> Connections { get; } = [];
        public long LastSeen { get; private set; }

        /// <summary>When the first frame of each connection after the first came.</summary>
        private readonly List<TimeSpan> _firstFrames = [];

        public string? Current
        {
            get
            {
                lock (_gate)
                {
                    return Connections.Count == 0 ? null : Connections[^1].Upstream;
                }
            }
        }

        /// <summary>A frame of the last connection newer than its first one: an upsert heard live after reconnecting.</summary>
        public bool HeardAfterReconnect { get; private set; }

        public void Connected(string upstream, TimeSpan at)
        {
            lock (_gate)
            {
                Connections.Add((upstream, at));
                _firstSequenceOfLastConnection = -1;
                HeardAfterReconnect = false;
            }
        }

        public void Heard(long sequence, TimeSpan at)
        {
            lock (_gate)
            {
                if (_firstSequenceOfLastConnection < 0)
                {
                    _firstSequenceOfLastConnection = sequence;
                    if (Connections.Count > 1)
                    {
                        _firstFrames.Add(at);
                    }
                }
                else if (sequence > _firstSequenceOfLastConnection && Connections.Count > 1)
                {
                    HeardAfterReconnect = true;
                }

                LastSeen = Math.Max(LastSeen, sequence);
            }
        }

        /// <summary>From the kill to the first frame heard on a later connection, or null if it never reconnected.</summary>
        public TimeSpan? ReconnectedAfter(TimeSpan killedAt)
        {
            lock (_gate)
            {
                return _firstFrames.Where(at => at >= killedAt).Select(at => (TimeSpan?)(at - killedAt)).FirstOrDefault();
            }
        }
    }

    /// <summary>Kills whatever instances are still running when the test ends.</summary>
    private sealed class Disposer(List<ServiceProcess> instances) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
