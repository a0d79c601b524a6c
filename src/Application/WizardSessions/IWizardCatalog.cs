using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions;

/// <summary>The wizard definitions the service ships with (read-only).</summary>
public interface IWizardCatalog
{
    public const int MaxWizards = 100;

    IReadOnlyList<WizardDefinition> All { get; }

    WizardDefinition? Find(string? wizardId);
}

/// <summary><c>Sessions:WizardSessions</c>.</summary>
public sealed class WizardSessionsOptions
{
    /// <summary>A session with no activity for this long is abandoned.</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromDays(30);
}
