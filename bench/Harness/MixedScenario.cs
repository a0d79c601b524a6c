using System.Net.Http.Json;
using System.Text.Json;

namespace Sessions.Bench.Harness;

/// <summary>
/// S6's parts that wrk cannot play: the onboarding sessions its requests name, and the wizard-run
/// streams held open in the background for the whole mixed load (bench/wrk/mixed.lua), checked
/// afterwards for the frames of the load's upserts.
/// </summary>
internal static class MixedScenario
{
    /// <summary>The workflows mixed.lua upserts runs into: <c>wf-mixed-0</c> … <c>wf-mixed-{n-1}</c>.</summary>
    private static string Workflow(int index) => $"wf-mixed-{index}";

    /// <summary>The hand-off text of every upsert mixed.lua sends.</summary>
    private const string LoadMarker = "mixed-load";

    /// <summary>
    /// Starts (or resumes) the onboarding session of tenants 1 to <paramref name="tenants"/> through the API
    /// and returns them as <c>tenant/session</c> pairs separated by commas, as mixed.lua reads them.
    /// </summary>
    public static async Task<string> StartOnboardingAsync(Uri baseUrl, string key, int tenants)
    {
        using var http = StreamScenario.Client(baseUrl, key);
        var pairs = new List<string>(tenants);
        for (var tenant = 1; tenant <= tenants; tenant++)
        {
            using var response = await http.PostAsync($"tenants/{tenant}/onboarding/session", content: null);
            response.EnsureSuccessStatusCode();
            var session = await response.Content.ReadFromJsonAsync<JsonElement>();
            pairs.Add($"{tenant}/{session.GetProperty("id")}");
        }

        return string.Join(',', pairs);
    }

    /// <summary>
    /// Opens <paramref name="streamCount"/> streams spread over <paramref name="workflows"/> workflows, says
    /// <c>open</c> on stderr once all have shown their first frame, and holds them until <paramref name="stop"/>.
    /// Then it counts the streams that ended early, and the streams whose workflow received upserts from the
    /// load but which saw none of them; finally it upserts one run per workflow and waits for that frame on
    /// every stream. Any stream that broke, stayed silent or missed the last frame counts in <c>missed</c>.
    /// </summary>
    public static async Task<string> HoldStreamsAsync(Uri baseUrl, string key, int streamCount, int workflows, CancellationToken stop)
    {
        using var http = StreamScenario.Client(baseUrl, key);
        for (var w = 0; w < workflows; w++)
        {
            await StreamScenario.PushAsync(http, Workflow(w), Watched(w), marker: "opening");
        }

        using var reading = new CancellationTokenSource();
        var tallies = Enumerable.Range(0, streamCount).Select(i => new Tally(i % workflows)).ToArray();
        var opened = new CountdownEvent(streamCount);
        var refused = 0;
        var readers = tallies.Select(tally => StreamScenario.ReadAsync(http, Workflow(tally.Workflow), () => opened.Signal(),
            (marker, _) => tally.Saw(marker), () => Interlocked.Increment(ref refused), reading.Token)).ToArray();

        var openBy = DateTime.UtcNow.AddSeconds(60);
        while (opened.CurrentCount > 0 && Volatile.Read(ref refused) == 0 && DateTime.UtcNow < openBy)
        {
            await Task.Delay(50);
        }

        if (opened.CurrentCount > 0)
        {
            throw new TimeoutException($"only {streamCount - opened.CurrentCount} of {streamCount} streams opened ({refused} refused)");
        }

        await Console.Error.WriteLineAsync("open");
        await Console.Error.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }

        var broken = readers.Count(reader => reader.IsCompleted);
        var loadedWorkflows = new HashSet<int>();
        for (var w = 0; w < workflows; w++)
        {
            if (await HasLoadRunsAsync(http, w))
            {
                loadedWorkflows.Add(w);
            }
        }

        var silent = tallies.Count(tally => loadedWorkflows.Contains(tally.Workflow) && tally.LoadFrames == 0);

        // The load has stopped: one last upsert per workflow must reach every stream of it.
        for (var w = 0; w < workflows; w++)
        {
            await StreamScenario.PushAsync(http, Workflow(w), Watched(w), marker: $"final-{w}");
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (tallies.Any(tally => !tally.SawFinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var missedFinal = tallies.Count(tally => !tally.SawFinal);
        await reading.CancelAsync();
        await Task.WhenAll(readers);
        return $"{{\"streams\":{streamCount},\"workflows\":{workflows},\"loaded_workflows\":{loadedWorkflows.Count}," +
            $"\"load_frames\":{tallies.Sum(tally => tally.LoadFrames)},\"broken\":{broken},\"silent\":{silent}," +
            $"\"missed_final\":{missedFinal},\"missed\":{broken + silent + missedFinal}}}";
    }

    /// <summary>The run each workflow's streams open on and are checked with at the end; the load never upserts it.</summary>
    private static string Watched(int workflow) => $"mixed-watch-{workflow}";

    /// <summary>Whether mixed.lua upserted any run of the workflow: it holds more runs than the watched one.</summary>
    private static async Task<bool> HasLoadRunsAsync(HttpClient http, int workflow)
    {
        var list = await http.GetFromJsonAsync<JsonElement>($"wizard/sessions?workflow_id={Workflow(workflow)}&limit=1");
        return list.GetProperty("count").GetInt64() > 1;
    }

    /// <summary>What one stream saw after its first frame.</summary>
    private sealed class Tally(int workflow)
    {
        private int _loadFrames;
        private volatile bool _sawFinal;

        public int Workflow { get; } = workflow;

        public int LoadFrames => Volatile.Read(ref _loadFrames);

        public bool SawFinal => _sawFinal;

        public void Saw(string marker)
        {
            if (marker == LoadMarker)
            {
                Interlocked.Increment(ref _loadFrames);
            }
            else if (marker == $"final-{Workflow}")
            {
                _sawFinal = true;
            }
        }
    }
}
