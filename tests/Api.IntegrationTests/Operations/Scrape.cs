using System.Globalization;
using System.Text.RegularExpressions;

namespace Sessions.Api.IntegrationTests.Operations;

/// <summary>Reads the Prometheus text format that <c>/metrics</c> serves.</summary>
public static partial class Scrape
{
    /// <summary>
    /// The sum of a metric's samples whose labels include every one of <paramref name="labels"/>
    /// (<c>name="value"</c> pairs); 0 when there is none.
    /// </summary>
    public static double Value(string exposition, string metric, params string[] labels) =>
        Samples(exposition)
            .Where(sample => sample.Name == metric && labels.All(label => sample.Labels.Contains(label, StringComparison.Ordinal)))
            .Sum(sample => sample.Value);

    /// <summary>Every metric name that has a sample.</summary>
    public static IReadOnlySet<string> Names(string exposition) => Samples(exposition).Select(sample => sample.Name).ToHashSet();

    private static IEnumerable<(string Name, string Labels, double Value)> Samples(string exposition) =>
        from line in exposition.Split('\n')
        let match = SampleLine().Match(line)
        where match.Success
        select (match.Groups["name"].Value, match.Groups["labels"].Value,
            double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[^\s]+)")]
    private static partial Regex SampleLine();
}
