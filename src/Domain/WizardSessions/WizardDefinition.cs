using Sessions.Domain.Common;

namespace Sessions.Domain.WizardSessions;

public enum ScreenKind
{
    /// <summary>Exactly one option.</summary>
    Single,

    /// <summary>Between <see cref="WizardScreen.Min"/> and <see cref="WizardScreen.Max"/> options.</summary>
    Multi,
}

public sealed record WizardOption(string Id, string Label);

/// <summary>Hides a screen when an earlier screen's answer includes any of <see cref="ChosenAny"/>.</summary>
public sealed record ScreenCondition(string Screen, IReadOnlyList<string> ChosenAny)
{
    public bool IsMetBy(WizardAnswers answers) =>
        answers.ChosenOn(Screen) is { } chosen && chosen.Any(ChosenAny.Contains);
}

public sealed record WizardScreen(
    string Id,
    string Title,
    ScreenKind Kind,
    IReadOnlyList<WizardOption> Options,
    bool Required,
    int? Min,
    int? Max,
    ScreenCondition? HiddenWhen)
{
    public const int MaxOptions = 100;

    public int MinChoices => Kind == ScreenKind.Single ? 1 : Min ?? 1;
    public int MaxChoices => Kind == ScreenKind.Single ? 1 : Max ?? Options.Count;

    public bool IsVisibleWith(WizardAnswers answers) => HiddenWhen is null || !HiddenWhen.IsMetBy(answers);

    /// <summary>Refuses a choice that does not fit this screen (unknown option, duplicate, too few or too many).</summary>
    public void Validate(IReadOnlyList<string> chosen)
    {
        var field = $"answers.{Id}";
        var unknown = chosen.FirstOrDefault(option => Options.All(o => o.Id != option));
        if (unknown is not null)
        {
            throw new RuleViolationException(field, "unknown_option", $"Option '{unknown}' is not an option of screen '{Id}'.");
        }

        if (chosen.Distinct(StringComparer.Ordinal).Count() != chosen.Count)
        {
            throw new RuleViolationException(field, "duplicate_option", $"Screen '{Id}' lists an option twice.");
        }

        if (chosen.Count < MinChoices || chosen.Count > MaxChoices)
        {
            throw new RuleViolationException(field, "choice_count", Kind == ScreenKind.Single
                ? $"Screen '{Id}' takes exactly one option."
                : $"Screen '{Id}' takes {MinChoices} to {MaxChoices} options.");
        }
    }
}

/// <summary>A wizard from the catalog: its screens in order. Immutable; sessions refer to it by id.</summary>
public sealed record WizardDefinition(string Id, string Title, IReadOnlyList<WizardScreen> Screens)
{
    /// <summary>The longest title or option label a definition may have.</summary>
    public const int MaxTextLength = 1000;

    public const int MaxScreens = 100;

    public WizardScreen? FindScreen(string screenId) => Screens.FirstOrDefault(s => s.Id == screenId);

    /// <summary>The screens a user with these answers walks through, in order.</summary>
    public IReadOnlyList<WizardScreen> VisibleScreens(WizardAnswers answers) =>
        Screens.Where(s => s.IsVisibleWith(answers)).ToList();
}
