using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Sessions.Bench.Harness;

/// <summary>Turns the JSON lines run.sh collected into the markdown tables of bench/README.md, with each target judged.</summary>
internal static class Report
{
    /// <summary>The targets of bench/README.md per scenario and database (S1's long-term goal stays 0.80).</summary>
    private static readonly Dictionary<(string Scenario, string Provider), (string Name, double MinRatio, double? MaxP99Ratio)> HttpTargets = new()
    {
        [("S1", "sqlite")] = ("S1 GET wizard session", 0.50, 2.0),
        [("S1", "postgres")] = ("S1 GET wizard session", 0.65, 2.0),
        [("S2", "sqlite")] = ("S2 next/previous step", 0.60, null),
        [("S2", "postgres")] = ("S2 next/previous step", 0.60, null),
        [("S3", "sqlite")] = ("S3 WizardRuns upsert (2 KB)", 0.60, null),
        [("S3", "postgres")] = ("S3 WizardRuns upsert (2 KB)", 0.60, null),
    };

    /// <summary>The share of its steady S1 rate the service must reach, and within how many seconds of load after its start.</summary>
    private const double SteadyShare = 0.90;

    private const int SteadyWithinSeconds = 5;

    /// <summary>The ladder's rungs for S1, from the floor up to the service, each with the layer it adds to the one before.</summary>
    private static readonly (string App, string Adds)[] Ladder =
    [
        ("floor", "minimal API, raw ADO.NET, hand-written JSON"),
        ("mvc", "an MVC controller answering the service's DTO, MVC's JSON output"),
        ("auth", "the service's key authentication, per-key rate limit and scope policy"),
        ("mediatr", "MediatR with the service's pipeline behaviours"),
        ("ef", "the service's query handler: EF Core repository and specification, AutoMapper"),
        ("service", "the rest of the service: its other middleware, telemetry, background workers"),
    ];

    public static string Markdown(IEnumerable<string> lines)
    {
        var results = lines.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var text = new StringBuilder();

        text.AppendLine("| scenario | database | service req/s | floor req/s | ratio | service p50 / p99 ms | floor p50 / p99 ms | p99 ratio | non-2xx | target | met |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var group in results.Where(r => Text(r, "kind") == "http").GroupBy(r => (Text(r, "scenario"), Text(r, "provider"))))
        {
            var service = Average(group.Where(r => Text(r, "app") == "service"));
            var floor = Average(group.Where(r => Text(r, "app") == "floor"));
            var (name, minRatio, maxP99Ratio) = HttpTargets[group.Key];
            var ratio = service.Rps / floor.Rps;
            var p99Ratio = service.P99 / floor.P99;
            var met = ratio >= minRatio && (maxP99Ratio is null || p99Ratio <= maxP99Ratio) && service.Failures == 0;
            var target = $">= {minRatio:F2}" + (maxP99Ratio is { } p ? $", p99 <= {p:F1}x" : "");
            text.AppendLine(Invariant($"| {name} | {group.Key.Item2} | {service.Rps:F0} | {floor.Rps:F0} | **{ratio:F2}** | {service.P50:F2} / {service.P99:F2} | {floor.P50:F2} / {floor.P99:F2} | {p99Ratio:F2} | {service.Failures} / {floor.Failures} | {target} | {(met ? "yes" : "no")} |"));
        }

        AppendLadder(text, results);
        AppendWarmUp(text, results);

        text.AppendLine();
        text.AppendLine("| S4 first page of | database | rows | p50 ms | p99 ms | req/s | p50 ratio to the smaller table | non-2xx | target | met |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var group in results.Where(r => Text(r, "kind") == "list").GroupBy(r => (Text(r, "list"), Text(r, "provider"))))
        {
            var bySize = group.OrderBy(r => Number(r, "rows")).Select(r => (Rows: Number(r, "rows"), Figures: Average([r]))).ToList();
            var smallest = bySize[0].Figures.P50;
            foreach (var (rows, figures) in bySize)
            {
                var ratio = figures.P50 / smallest;
                var isLargest = rows == bySize[^1].Rows && bySize.Count > 1;
                text.AppendLine(Invariant($"| {group.Key.Item1} | {group.Key.Item2} | {rows:N0} | {figures.P50:F2} | {figures.P99:F2} | {figures.Rps:F0} | {(isLargest ? $"**{ratio:F2}**" : "1.00")} | {figures.Failures} | {(isLargest ? "<= 1.30" : "")} | {(isLargest ? (ratio <= 1.3 && figures.Failures == 0 ? "yes" : "no") : "")} |"));
            }
        }

        text.AppendLine();
        text.AppendLine("| S5 streams | database | open streams | KB per stream | upsert to every stream p50 / p99 / max ms | missed frames | target | met |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---|---|");
        foreach (var r in results.Where(r => Text(r, "kind") == "streams"))
        {
            var perStream = Number(r, "kb_per_stream");
            var p99 = Number(r, "delivery_p99_ms");
            var met = perStream <= 32 && p99 <= 1000 && Number(r, "missed") == 0;
            text.AppendLine(Invariant($"| one process | {Text(r, "provider")} | {Number(r, "streams"):N0} | **{perStream:F1}** | {Number(r, "delivery_p50_ms"):F0} / **{p99:F0}** / {Number(r, "delivery_max_ms"):F0} | {Number(r, "missed"):F0} | <= 32 KB, p99 <= 1000 ms | {(met ? "yes" : "no")} |"));
        }

        text.AppendLine();
        text.AppendLine("| S6 mixed load | database | service req/s | p50 / p99 ms | requests | non-2xx | open streams | load frames received | streams broken / silent / missing the last upsert | target | met |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var group in results.Where(r => Text(r, "kind") == "mixed").GroupBy(r => Text(r, "provider")))
        {
            var service = Average(group);
            var requests = group.Sum(r => Number(r, "requests"));
            var streams = results.FirstOrDefault(r => Text(r, "kind") == "mixed_streams" && Text(r, "provider") == group.Key) ?? [];
            var met = service.Failures <= 0.01 * requests && Number(streams, "streams") > 0 && Number(streams, "missed") == 0;
            text.AppendLine(Invariant($"| 85% reads, 15% writes, five modules | {group.Key} | **{service.Rps:F0}** | {service.P50:F2} / **{service.P99:F2}** | {requests:N0} | {service.Failures} | {Number(streams, "streams"):N0} | {Number(streams, "load_frames"):N0} | {Number(streams, "broken"):F0} / {Number(streams, "silent"):F0} / {Number(streams, "missed_final"):F0} | <= 1% non-2xx, no stream misses an upsert | {(met ? "yes" : "no")} |"));
        }

        return text.ToString();
    }

    /// <summary>
    /// S1's ladder per database: what each rung adds, its rate and its ratio to the floor, and the step's cost as
    /// the growth of the time per request (1e6 / rate) from the rung below.
    /// </summary>
    private static void AppendLadder(StringBuilder text, List<JsonObject> results)
    {
        var s1 = results.Where(r => Text(r, "kind") == "http" && Text(r, "scenario") == "S1").ToList();
        foreach (var provider in s1.Where(r => Text(r, "app") == "mvc").Select(r => Text(r, "provider")).Distinct())
        {
            var rungs = Ladder
                .Select(rung => (rung.App, rung.Adds, Rounds: s1.Where(r => Text(r, "provider") == provider && Text(r, "app") == rung.App).ToList()))
                .Where(rung => rung.Rounds.Count > 0)
                .Select(rung => (rung.App, rung.Adds, Figures: Average(rung.Rounds)))
                .ToList();
            var floor = rungs.Single(rung => rung.App == "floor").Figures;

            text.AppendLine();
            text.AppendLine(Invariant($"| S1 ladder ({provider}) | adds | req/s | ratio to the floor | step µs per request | p50 / p99 ms | non-2xx |"));
            text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
            Figures? below = null;
            foreach (var (app, adds, figures) in rungs)
            {
                // A rung that answered nothing in a round (a cold smoke run) has no time per request.
                var step = below is null ? "" : figures.Rps > 0 && below.Rps > 0 ? Invariant($"{1e6 / figures.Rps - 1e6 / below.Rps:+0;-0;0}") : "n/a";
                text.AppendLine(Invariant($"| {app} | {adds} | {figures.Rps:F0} | {(floor.Rps > 0 ? (figures.Rps / floor.Rps).ToString("F2", CultureInfo.InvariantCulture) : "n/a")} | {step} | {figures.P50:F2} / {figures.P99:F2} | {figures.Failures} |"));
                below = figures;
            }
        }
    }

    /// <summary>
    /// Each app's S1 rate second by second from its start, and the time it took to reach 90% of its steady rate
    /// (the mean of the last three seconds measured).
    /// </summary>
    private static void AppendWarmUp(StringBuilder text, List<JsonObject> results)
    {
        var steps = results.Where(r => Text(r, "kind") == "warmup").ToList();
        if (steps.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("| warm-up (S1 from start) | database | req/s in each second of load | steady req/s | seconds to 90% of steady | target | met |");
        text.AppendLine("|---|---|---|---:|---:|---|---|");
        foreach (var group in steps.GroupBy(r => (App: Text(r, "app"), Provider: Text(r, "provider"))))
        {
            var rates = group.OrderBy(r => Number(r, "second")).Select(r => Number(r, "rps")).ToList();
            var steady = rates.TakeLast(3).Average();
            var reached = rates.FindIndex(rate => rate >= SteadyShare * steady) + 1;
            var isService = group.Key.App == "service";
            var met = reached is > 0 and <= SteadyWithinSeconds;
            text.AppendLine(Invariant($"| {group.Key.App} | {group.Key.Provider} | {string.Join(" ", rates.Select(rate => rate.ToString("F0", CultureInfo.InvariantCulture)))} | {steady:F0} | **{reached}** | {(isService ? $"<= {SteadyWithinSeconds}" : "")} | {(isService ? (met ? "yes" : "no") : "")} |"));
        }
    }

    private sealed record Figures(double Rps, double P50, double P99, long Failures);

    /// <summary>The mean of alternating rounds: each round of the service ran next to one of the floor.</summary>
    private static Figures Average(IEnumerable<JsonObject> rounds)
    {
        var list = rounds.ToList();
        return new Figures(list.Average(r => Number(r, "rps")), list.Average(r => Number(r, "p50_ms")), list.Average(r => Number(r, "p99_ms")),
            list.Sum(r => (long)Number(r, "non_2xx") + (long)Number(r, "socket_errors")));
    }

    private static string Text(JsonObject r, string name) => r[name]?.GetValue<string>() ?? "";

    private static double Number(JsonObject r, string name) => r[name]?.GetValue<double>() ?? 0;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
