using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Api.IntegrationTests.Onboarding;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Operations;

/// <summary>
/// The real process under a scripted mix of traffic: its <c>/metrics</c> moves by exactly what was
/// done, the dashboard and alert rules name only metrics it exports, and its JSON log (at debug
/// level) holds none of the keys and secrets the traffic used.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class MetricsTests
{
    private const string ProviderSecret = "pr0vider-Secret-For-The-Log-Test-91c3";

    [Theory, ClassData(typeof(Databases))]
    public async Task ScriptedTraffic_MovesEachMetricByWhatWasDone_AndTheLogsHoldNoSecret(string database)
    {
        await using var provider = await FakeProvider.StartAsync();
        await using var store = await TestDatabase.CreateAsync(database);
        var trafficKey = await ServiceProcess.CreateKeyAsync(store, "traffic");
        var blasterKey = await ServiceProcess.CreateKeyAsync(store, "blaster");
        await using var service = await ServiceProcess.StartAsync(store, new Dictionary<string, string>
        {
            ["Sessions__Logging__Format"] = "json",
            ["Logging__LogLevel__Default"] = "Debug",
            ["Sessions__Api__KeyCache__Lifetime"] = "01:00:00",
            ["Sessions__Api__RateLimitPerSecond"] = "1",
            ["Sessions__Api__RateLimitBurst"] = "250",
            ["Sessions__Onboarding__AllowLoopbackProviders"] = "true",
            ["Sessions__Onboarding__WorkerPollInterval"] = "00:00:00.100",
        });
        var keyed = new CountingHandler();
        using var traffic = Client(service, keyed, trafficKey);
        using var blaster = Client(service, keyed, blasterKey);
        using var scraper = new HttpClient { BaseAddress = service.BaseAddress };
        var before = await scraper.GetStringAsync("/metrics");
        double Moved(string after, string metric, params string[] labels) =>
            Scrape.Value(after, metric, labels) - Scrape.Value(before, metric, labels);

        // Idempotency: one request, three replays, then the key with another body.
        for (var i = 0; i < 4; i++)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session") { Content = Json("""{"data":{"n":1}}"""), Headers = { { "Idempotency-Key", "metrics-k1" } } };
            (await traffic.SendAsync(post)).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using (var reused = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session") { Content = Json("""{"data":{"n":2}}"""), Headers = { { "Idempotency-Key", "metrics-k1" } } })
        {
            (await traffic.SendAsync(reused)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        }

        // Two streams on one workflow, three upserts each stream sees.
        var streams = new[] { await OpenStreamAsync(traffic), await OpenStreamAsync(traffic) };
        Scrape.Value(await scraper.GetStringAsync("/metrics"), "sessions_streams_open").Should().Be(2);
        for (var upsert = 1; upsert <= 3; upsert++)
        {
            (await traffic.PostAsync("/api/projects/1/wizard/sessions", Json($$"""
                {"session_id":"metrics-run","workflow_id":"metrics","skill_id":"nextjs","started_at":"2026-11-26T10:00:00Z",
                 "run_phase":"running","tasks":[],"handoff_text":"step {{upsert}}"}
                """))).IsSuccessStatusCode.Should().BeTrue();
            foreach (var stream in streams)
            {
                (await stream.NextHandoffAsync()).Should().Be($"step {upsert}");
            }
        }

        foreach (var stream in streams)
        {
            stream.Dispose();
        }

        // One onboarding run, carried out by the worker against a provider with a client secret.
        var connection = await (await traffic.PostAsync("/tenants/1/provider-connections", Json($$"""
            {"display_name":"Entra","base_url":"{{provider.BaseUrl("fast")}}","auth_mode":"client_secret","client_id":"app-1","client_secret":"{{ProviderSecret}}"}
            """))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var onboarding = await (await traffic.PostAsync("/tenants/1/onboarding/session", null)).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await traffic.PatchAsync($"/tenants/1/onboarding/session/{onboarding["id"]}", Json($$"""{"provider_connection_id":{{connection["id"]}}}""")))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var run = await (await traffic.PostAsync("/tenants/1/onboarding/tasks/onboarding.connection.verify/runs", null)).ShouldBeJsonAsync(HttpStatusCode.Created);
        await WaitForAsync(async () => (await (await traffic.GetAsync($"/tenants/1/operation-runs/{run["run_id"]}")).ShouldBeJsonAsync(HttpStatusCode.OK))
            ["status"]!.GetValue<string>() == "succeeded");

        // Another key past its bucket (250 at once, then one a second).
        // Its first request alone: requests racing on a key not yet read would each read it (a miss apiece).
        var refused = (await blaster.GetAsync("/api/v1/session")).StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        await Parallel.ForAsync(1, 320, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, _) =>
        {
            if ((await blaster.GetAsync("/api/v1/session")).StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref refused);
            }
        });

        refused.Should().BePositive();
        await WaitForAsync(async () => Scrape.Value(await scraper.GetStringAsync("/metrics"), "sessions_streams_open") == 0);
        var after = await scraper.GetStringAsync("/metrics");

        Moved(after, "sessions_idempotency_replays_total").Should().Be(3);
        Moved(after, "sessions_idempotency_key_conflicts_total", "reason=\"key_reused\"").Should().Be(1);
        Moved(after, "sessions_idempotency_key_conflicts_total", "reason=\"in_flight\"").Should().Be(0);
        Moved(after, "http_server_request_duration_seconds_count", "http_route=\"api/v1/session\"", "http_request_method=\"POST\"").Should().Be(5);
        Moved(after, "sessions_streams_frames_total").Should().Be(6, "two streams saw three upserts each");
        Moved(after, "sessions_fanout_upserts_total").Should().Be(3);
        Moved(after, "sessions_fanout_delay_seconds_count").Should().Be(6);
        Moved(after, "sessions_onboarding_runs_queued_total").Should().Be(1);
        Moved(after, "sessions_onboarding_attempts_total").Should().Be(1);
        Moved(after, "sessions_onboarding_runs_succeeded_total").Should().Be(1);
        Moved(after, "sessions_onboarding_lease_expiries_total").Should().Be(0);
        Moved(after, "sessions_onboarding_runs_failed_total").Should().Be(0);
        Moved(after, "sessions_onboarding_run_duration_seconds_count").Should().Be(1);
        Moved(after, "sessions_rate_limit_refusals_total").Should().Be(refused);
        Moved(after, "sessions_api_keys_cache_misses_total").Should().Be(2, "each key is read once");
        Moved(after, "sessions_api_keys_cache_hits_total").Should().Be(keyed.Count - 2, "every other keyed request was a hit");
        Moved(after, "sessions_database_unavailable_total").Should().Be(0);
        Moved(after, "sessions_write_conflicts_given_up_total").Should().Be(0);

        var named = OperationsFileMetrics().ToList();
        named.Should().NotBeEmpty();
        named.Should().OnlyContain(metric => Scrape.Names(after).Contains(metric),
            $"ops/grafana/sessions.json and ops/prometheus/alerts.yml name only exported metrics (exported: {string.Join(", ", Scrape.Names(after).Order())})");

        var log = service.Output.Where(line => line.Length > 0).ToList();
        log.Should().OnlyContain(line => IsJsonObject(line), "Sessions:Logging:Format=json writes one JSON object per line");
        log.Should().Contain(line => line.Contains("\"TraceId\":") && line.Contains("\"SpanId\":"), "request log lines carry the trace and span ids");
        foreach (var secret in new[] { trafficKey, blasterKey, ProviderSecret, ApiHost.SecretsKey, SecretOf(trafficKey), SecretOf(blasterKey) })
        {
            log.Should().NotContain(line => line.Contains(secret, StringComparison.Ordinal), "no key or secret is ever logged");
        }
    }

    /// <summary>
    /// The secret part of <c>ses_&lt;12-character prefix&gt;_&lt;secret&gt;</c>. Not the text after the last
    /// underscore: base64url secrets contain underscores, and a short tail would match unrelated log text.
    /// </summary>
    private static string SecretOf(string key) => key[("ses_".Length + 12 + 1)..];

    [Fact]
    public async Task MetricsUrls_ServeOnlyMetrics_AndTakeThemOffTheServicePort()
    {
        await using var store = await TestDatabase.CreateAsync(Databases.Sqlite);
        var metricsPort = FreePort();
        await using var service = await ServiceProcess.StartAsync(store, new Dictionary<string, string>
        {
            ["Sessions__Telemetry__MetricsUrls"] = $"http://127.0.0.1:{metricsPort}",
        });
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{metricsPort}") };
        using var api = new HttpClient { BaseAddress = service.BaseAddress };

        var scrape = await metrics.GetAsync("/metrics");
        scrape.StatusCode.Should().Be(HttpStatusCode.OK);
        Scrape.Names(await scrape.Content.ReadAsStringAsync()).Should().Contain("sessions_database_ready");
        (await metrics.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the metrics port serves nothing else");
        (await api.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.GetAsync("/metrics")).StatusCode.Should().NotBe(HttpStatusCode.OK, "the service's own port no longer serves the metrics");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Every metric the dashboard's queries and the alert rules' expressions name.</summary>
    private static IEnumerable<string> OperationsFileMetrics()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root, "ops", "grafana", "sessions.json")))!;
        var queries = dashboard["panels"]!.AsArray().SelectMany(panel => panel!["targets"]!.AsArray()).Select(target => target!["expr"]!.GetValue<string>())
            .Append(dashboard["templating"]!["list"]![0]!["definition"]!.GetValue<string>());
        var alerts = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "ops", "prometheus", "alerts.yml")).Where(line => !line.TrimStart().StartsWith('#'));
        return queries.Concat(alerts).SelectMany(text => MetricName().Matches(text).Select(match => match.Value)).Distinct();
    }

    [GeneratedRegex(@"\b(sessions|http_server|kestrel|dotnet|aspnetcore)_[a-z0-9_]+\b")]
    private static partial Regex MetricName();

    private static bool IsJsonObject(string line)
    {
        try
        {
            return JsonNode.Parse(line) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static HttpClient Client(ServiceProcess service, CountingHandler counter, string key)
    {
        var client = new HttpClient(new CountingHandler.Forwarder(counter)) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    private static async Task<RunStream> OpenStreamAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/projects/1/wizard/sessions/stream?workflow_id=metrics", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return new RunStream(response, SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the condition did not hold within 20 s");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Counts the requests sent with a key, each of which the service authenticates once.</summary>
    private sealed class CountingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public sealed class Forwarder(CountingHandler counter) : DelegatingHandler(new SocketsHttpHandler())
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref counter._count);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    private sealed class RunStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items) : IDisposable
    {
        public async Task<string?> NextHandoffAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await items.MoveNextAsync().AsTask().WaitAsync(timeout.Token))
            {
                if (items.Current.EventType == SseParser.EventTypeDefault)
                {
                    return JsonNode.Parse(items.Current.Data)?["handoff_text"]?.GetValue<string>();
                }
            }

            return null;
        }

        public void Dispose() => response.Dispose();
    }
}
