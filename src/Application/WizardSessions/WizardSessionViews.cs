using System.Text.Json;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions;

/// <summary>A session's wizard from the catalog, its status as the wire names it, and answers from the wire in the domain's shape.</summary>
public static class WizardSessionViews
{
    public static string StatusName(WizardSessionStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static WizardDefinition WizardOf(this IWizardCatalog catalog, WizardSession session) =>
        catalog.Find(session.WizardId)
        ?? throw new InvalidOperationException($"Wizard '{session.WizardId}' of session {session.Id} is no longer in the catalog.");

    public static WizardDefinition RequireWizard(this IWizardCatalog catalog, string wizardId) =>
        catalog.Find(wizardId) ?? throw ValidationException.For("wizard_id", $"Unknown wizard '{wizardId}'.");

    /// <summary>Answers from the wire into the domain's shape.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ToChoices(IReadOnlyDictionary<string, ScreenAnswerDto>? answers) =>
        answers?.ToDictionary(a => a.Key, a => a.Value.Chosen) ?? new Dictionary<string, IReadOnlyList<string>>();
}
