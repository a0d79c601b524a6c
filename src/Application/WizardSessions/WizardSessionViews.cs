using System.Text.Json;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions;

/// <summary>
/// Builds the wire views of a session. Positions depend on the wizard definition (visible screens),
/// which a plain member map cannot see, so the views are composed here, in one place.
/// </summary>
public static class WizardSessionViews
{
    public static string StatusName(WizardSessionStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static WizardDefinition WizardOf(this IWizardCatalog catalog, WizardSession session) =>
        catalog.Find(session.WizardId)
        ?? throw new InvalidOperationException($"Wizard '{session.WizardId}' of session {session.Id} is no longer in the catalog.");

    public static WizardDefinition RequireWizard(this IWizardCatalog catalog, string wizardId) =>
        catalog.Find(wizardId) ?? throw ValidationException.For("wizard_id", $"Unknown wizard '{wizardId}'.");

    public static WizardSessionDto ToDto(WizardSession session, WizardDefinition wizard) => new()
    {
        SessionId = session.Id,
        WizardId = session.WizardId,
        UserId = session.UserHandle,
        Locale = session.Locale,
        CurrentStepIndex = session.CurrentStepIndex(wizard),
        TotalSteps = session.TotalSteps(wizard),
        CurrentScreenId = session.Status == WizardSessionStatus.InProgress ? session.CurrentScreenId : null,
        Status = StatusName(session.Status),
        Answers = session.Answers.Chosen.ToDictionary(a => a.Key, a => new ScreenAnswerDto(a.Value)),
        Draft = session.DraftId is null ? null : new WizardDraftDto(session.DraftId, session.DraftStepIndex ?? 0, session.DraftSavedAt!.Value),
        StartedAt = session.StartedAt,
        LastActivityAt = session.LastActivityAt,
        UpdatedAt = session.LastActivityAt,
        CompletedAt = session.CompletedAt,
        Version = session.Version,
    };

    public static WizardSessionSummaryDto ToSummary(WizardSession session, WizardDefinition wizard) => new(
        session.Id, session.WizardId, session.UserHandle, session.CurrentStepIndex(wizard), session.TotalSteps(wizard),
        StatusName(session.Status), session.StartedAt, session.LastActivityAt);

    /// <summary>Answers from the wire into the domain's shape.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ToChoices(IReadOnlyDictionary<string, ScreenAnswerDto>? answers) =>
        answers?.ToDictionary(a => a.Key, a => a.Value.Chosen) ?? new Dictionary<string, IReadOnlyList<string>>();
}
