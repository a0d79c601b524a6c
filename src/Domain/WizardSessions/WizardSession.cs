using System.Security.Cryptography;
using Sessions.Domain.Common;

namespace Sessions.Domain.WizardSessions;

public enum WizardSessionStatus
{
    InProgress,
    Completed,
    Abandoned,
}

/// <summary>
/// One user's walk through a wizard. The session keeps the screens it actually visited, so going
/// back follows the path taken (branching included), and positions are indexes into the screens
/// visible with the current answers.
/// </summary>
public sealed class WizardSession : AggregateRoot
{
    /// <summary>Ids a client names (wizard, user, screen and option ids) and the ids the service makes.</summary>
    public const int MaxIdLength = 255;

    /// <summary>A BCP 47 language tag.</summary>
    public const int MaxLocaleLength = 35;
    public const string LocalePattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";

    /// <summary>The longest status name on the wire (<c>in_progress</c>).</summary>
    public const int MaxStatusLength = 16;

    private WizardSession()
    {
        Id = WizardId = UserHandle = Locale = CurrentScreenId = null!;
        Answers = WizardAnswers.Empty;
        VisitedScreens = [];
    }

    public string Id { get; private set; }
    public string WizardId { get; private set; }
    public long UserId { get; private set; }

    /// <summary>The owner's handle, which the wire calls <c>user_id</c>.</summary>
    public string UserHandle { get; private set; }

    public string Locale { get; private set; }
    public WizardSessionStatus Status { get; private set; }
    public string CurrentScreenId { get; private set; }

    /// <summary>The screens visited, first to current: the way back.</summary>
    public IReadOnlyList<string> VisitedScreens { get; private set; }

    public WizardAnswers Answers { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset LastActivityAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? DraftId { get; private set; }
    public int? DraftStepIndex { get; private set; }
    public DateTimeOffset? DraftSavedAt { get; private set; }

    public static WizardSession Start(WizardDefinition wizard, long userId, string userHandle, string locale, DateTimeOffset now)
    {
        var first = wizard.VisibleScreens(WizardAnswers.Empty).FirstOrDefault()
                    ?? throw new RuleViolationException("wizard_id", "empty_wizard", $"Wizard '{wizard.Id}' has no screen to show.");
        var session = new WizardSession
        {
            Id = NewId("sess-"),
            WizardId = wizard.Id,
            UserId = userId,
            UserHandle = userHandle,
            Locale = locale,
            Status = WizardSessionStatus.InProgress,
            CurrentScreenId = first.Id,
            VisitedScreens = [first.Id],
            StartedAt = now,
            LastActivityAt = now,
        };
        session.Changed();
        return session;
    }

    /// <summary>How many screens this session walks through with its current answers.</summary>
    public int TotalSteps(WizardDefinition wizard) => wizard.VisibleScreens(Answers).Count;

    /// <summary>Where the session stands among the visible screens; equal to the total once completed.</summary>
    public int CurrentStepIndex(WizardDefinition wizard)
    {
        var visible = wizard.VisibleScreens(Answers);
        return Status == WizardSessionStatus.Completed ? visible.Count : IndexOf(visible, CurrentScreenId);
    }

    /// <summary>
    /// Inactive sessions are abandoned: callers apply the rule before reading or changing a session,
    /// so the status is right at any moment without a background job.
    /// </summary>
    public bool AbandonIfInactive(DateTimeOffset now, TimeSpan inactivityLimit)
    {
        if (Status != WizardSessionStatus.InProgress || now - LastActivityAt < inactivityLimit)
        {
            return false;
        }

        Status = WizardSessionStatus.Abandoned;
        Changed();
        return true;
    }

    /// <summary>Saves answers without moving.</summary>
    public void SaveAnswers(WizardDefinition wizard, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, DateTimeOffset now)
    {
        EnsureInProgress();
        Apply(wizard, answers);
        LastActivityAt = now;
        Changed();
    }

    /// <summary>Saves the answers, checks every required visible screen up to here, and moves to the next visible screen (or completes).</summary>
    public void Advance(WizardDefinition wizard, IReadOnlyDictionary<string, IReadOnlyList<string>>? answers, DateTimeOffset now)
    {
        EnsureInProgress();
        if (answers is { Count: > 0 })
        {
            Apply(wizard, answers);
        }

        var visible = wizard.VisibleScreens(Answers);
        var current = IndexOf(visible, CurrentScreenId);
        var unanswered = visible.Take(current + 1).FirstOrDefault(s => s.Required && !Answers.HasAnswered(s.Id));
        if (unanswered is not null)
        {
            throw new RuleViolationException($"answers.{unanswered.Id}", "required_screen_unanswered",
                $"Screen '{unanswered.Id}' is required: answer it before moving on.");
        }

        if (current + 1 < visible.Count)
        {
            CurrentScreenId = visible[current + 1].Id;
            VisitedScreens = [.. VisitedScreens, CurrentScreenId];
        }
        else
        {
            Status = WizardSessionStatus.Completed;
            CompletedAt = now;
        }

        LastActivityAt = now;
        Changed();
    }

    /// <summary>Returns to the screen visited before this one (skipping any that answers have since hidden).</summary>
    public void GoBack(WizardDefinition wizard, DateTimeOffset now)
    {
        EnsureInProgress();
        var path = VisitedScreens.Take(VisitedScreens.Count - 1)
            .Where(id => wizard.FindScreen(id) is { } screen && screen.IsVisibleWith(Answers))
            .ToList();
        if (path.Count == 0)
        {
            throw new InvalidTransitionException("at_first_screen", "The session is at its first screen; there is no step to go back to.");
        }

        VisitedScreens = path;
        CurrentScreenId = path[^1];
        LastActivityAt = now;
        Changed();
    }

    /// <summary>Saves the answers as a resumable draft without moving; the draft id stays the same for the session.</summary>
    public void SaveDraft(WizardDefinition wizard, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, DateTimeOffset now)
    {
        EnsureInProgress();
        Apply(wizard, answers);
        DraftId ??= NewId("draft-");
        DraftStepIndex = CurrentStepIndex(wizard);
        DraftSavedAt = now;
        LastActivityAt = now;
        Changed();
    }

    private void Apply(WizardDefinition wizard, IReadOnlyDictionary<string, IReadOnlyList<string>> answers)
    {
        foreach (var (screenId, chosen) in answers)
        {
            var screen = wizard.FindScreen(screenId)
                         ?? throw new RuleViolationException($"answers.{screenId}", "unknown_screen",
                             $"Screen '{screenId}' is not a screen of wizard '{wizard.Id}'.");
            screen.Validate(chosen);
        }

        Answers = Answers.With(answers);

        // An earlier answer may hide the screen the user stands on: stand on the next visible one instead.
        if (wizard.FindScreen(CurrentScreenId) is { } current && !current.IsVisibleWith(Answers))
        {
            var next = wizard.Screens.SkipWhile(s => s.Id != CurrentScreenId).Skip(1).FirstOrDefault(s => s.IsVisibleWith(Answers));
            CurrentScreenId = next?.Id ?? VisitedScreens.LastOrDefault(id => id != CurrentScreenId) ?? CurrentScreenId;
            VisitedScreens = [.. VisitedScreens.Where(id => id != current.Id), CurrentScreenId];
        }
    }

    private void EnsureInProgress()
    {
        if (Status != WizardSessionStatus.InProgress)
        {
            var state = Status == WizardSessionStatus.Completed ? "completed" : "abandoned";
            throw new InvalidTransitionException($"session_{state}", $"The session is {state} and can no longer change.");
        }
    }

    private static int IndexOf(IReadOnlyList<WizardScreen> screens, string screenId)
    {
        for (var i = 0; i < screens.Count; i++)
        {
            if (screens[i].Id == screenId)
            {
                return i;
            }
        }

        return 0;
    }

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
