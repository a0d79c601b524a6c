using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sessions.Domain.WizardSessions;

/// <summary>The options chosen per screen. Immutable: every change makes a new value.</summary>
public sealed class WizardAnswers
{
    public static readonly WizardAnswers Empty = new(new Dictionary<string, IReadOnlyList<string>>());

    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _chosen;

    private WizardAnswers(IReadOnlyDictionary<string, IReadOnlyList<string>> chosen) => _chosen = chosen;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Chosen => _chosen;

    public IReadOnlyList<string>? ChosenOn(string screenId) => _chosen.GetValueOrDefault(screenId);

    public bool HasAnswered(string screenId) => _chosen.ContainsKey(screenId);

    /// <summary>These answers with each given screen's choice replaced.</summary>
    public WizardAnswers With(IReadOnlyDictionary<string, IReadOnlyList<string>> changes)
    {
        var merged = new Dictionary<string, IReadOnlyList<string>>(_chosen, StringComparer.Ordinal);
        foreach (var (screen, chosen) in changes)
        {
            merged[screen] = chosen.ToArray();
        }

        return new WizardAnswers(merged);
    }

    /// <summary>The stored and wire form: <c>{"screen-02": {"chosen": ["opt-a"]}}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(
        _chosen.ToDictionary(e => e.Key, e => new ScreenAnswer(e.Value.ToArray())));

    public static WizardAnswers FromJson(string json) => new(
        JsonSerializer.Deserialize<Dictionary<string, ScreenAnswer>>(json)!
            .ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value.Chosen, StringComparer.Ordinal));

    private sealed record ScreenAnswer([property: JsonPropertyName("chosen")] string[] Chosen);
}
