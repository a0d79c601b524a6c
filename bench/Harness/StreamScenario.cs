using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;

namespace Sessions.Bench.Harness;

/// <summary>
/// S5: opens many streams of one workflow on one service process, measures the resident memory
/// they add to it, then times how long each upsert takes to reach every open stream.
/// </summary>
internal static class StreamScenario
{
    private const string Workflow = "wf-streams";

    public static async Task<string> RunAsync(Uri baseUrl, string key, int servicePid, int streamCount, int upserts)
    {
        using var http = Client(baseUrl, key);

        // A run exists before the streams open, so each stream's first frame proves it is open.
        await PushAsync(http, Workflow, "streams-run", marker: "opening");
        await SettleAsync();
        var rssBefore = ResidentKilobytes(servicePid);

        using var stop = new CancellationTokenSource();
        var arrivals = new ConcurrentDictionary<string, ConcurrentBag<long>>();
        var opened = new CountdownEvent(streamCount);
        var refused = 0;
        var readers = new List<Task>(streamCount);
        for (var i = 0; i < streamCount; i++)
        {
            readers.Add(ReadAsync(http, Workflow, () => opened.Signal(), (marker, arrived) => arrivals.GetOrAdd(marker, _ => []).Add(arrived),
                () => Interlocked.Increment(ref refused), stop.Token));
            if (i % 500 == 499)
            {
                await Task.Delay(50); // opens in waves, as clients arrive, rather than one SYN flood
            }
        }

        var openBy = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 180;
        while (opened.CurrentCount > 0 && Volatile.Read(ref refused) == 0 && Stopwatch.GetTimestamp() < openBy)
        {
            await Task.Delay(100);
        }

        if (opened.CurrentCount > 0)
        {
            throw new TimeoutException($"only {streamCount - opened.CurrentCount} of {streamCount} streams opened ({refused} refused)");
        }

        await SettleAsync();
        var rssAfter = ResidentKilobytes(servicePid);

        var latencies = new List<double>();
        var missed = 0;
        for (var u = 0; u < upserts; u++)
        {
            var marker = $"upsert-{u}";
            var bag = arrivals.GetOrAdd(marker, _ => []);
            var sent = Stopwatch.GetTimestamp();
            await PushAsync(http, Workflow, "streams-run", marker);
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
            while (bag.Count < streamCount && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(5);
            }

            latencies.AddRange(bag.Select(arrived => Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds));
            missed += streamCount - bag.Count;
        }

        await stop.CancelAsync();
        latencies.Sort();
        var perStream = (rssAfter - rssBefore) / (double)streamCount;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{{\"streams\":{streamCount},\"rss_before_kb\":{rssBefore},\"rss_after_kb\":{rssAfter},\"kb_per_stream\":{perStream:F1}," +
            $"\"delivery_p50_ms\":{Percentile(latencies, 50):F1},\"delivery_p99_ms\":{Percentile(latencies, 99):F1}," +
            $"\"delivery_max_ms\":{(latencies.Count == 0 ? -1 : latencies[^1]):F1},\"missed\":{missed}}}");
    }

    /// <summary>
    /// An HTTP client for many long-lived streams: one connection each, never closed for being idle.
    /// <paramref name="baseUrl"/> is the project's base (<c>…/api/projects/1/</c>).
    /// </summary>
    public static HttpClient Client(Uri baseUrl, string key)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        })
        { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>
    /// Reads one stream of a workflow until it ends or is cancelled: its first frame (the latest run, which
    /// the caller pushed first) calls <paramref name="onOpened"/>, every later run frame <paramref name="onFrame"/>
    /// with the run's marker (its <c>handoff_text</c>) and the moment it arrived.
    /// </summary>
    public static async Task ReadAsync(HttpClient http, string workflow, Action onOpened, Action<string, long> onFrame,
        Action onRefused, CancellationToken cancellationToken)
    {
        var first = true;
        try
        {
            using var response = await http.GetAsync($"wizard/sessions/stream?workflow_id={workflow}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                onRefused();
                return;
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
            {
                var arrived = Stopwatch.GetTimestamp();
                if (item.EventType != SseParser.EventTypeDefault)
                {
                    continue;
                }

                if (first)
                {
                    first = false;
                    onOpened();
                    continue;
                }

                var marker = Marker(item.Data);
                if (marker is not null)
                {
                    onFrame(marker, arrived);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception) when (first)
        {
            onRefused(); // the stream broke before it showed anything: it never opened
        }
    }

    private static string? Marker(string frame)
    {
        const string field = "\"handoff_text\":\"";
        var start = frame.IndexOf(field, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += field.Length;
        return frame[start..frame.IndexOf('"', start)];
    }

    /// <summary>Upserts run <paramref name="run"/> of <paramref name="workflow"/> with <paramref name="marker"/> as its hand-off text.</summary>
    public static async Task PushAsync(HttpClient http, string workflow, string run, string marker)
    {
        var body = $$"""
            {"session_id":"{{run}}","workflow_id":"{{workflow}}","skill_id":"nextjs","started_at":"2026-11-26T10:00:00Z",
             "run_phase":"running","tasks":[{"id":"0","title":"Install","status":"in_progress"}],"handoff_text":"{{marker}}"}
            """;
        using var response = await http.PostAsync("wizard/sessions", new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Lets the service finish what opening did (and its garbage collector settle) before reading its memory.</summary>
    private static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(3));

    private static long ResidentKilobytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
        }

        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }

    private static double Percentile(List<double> sorted, double percent) =>
        sorted.Count == 0 ? -1 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percent / 100 * sorted.Count) - 1)];
}
