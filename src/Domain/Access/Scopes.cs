namespace Sessions.Domain.Access;

/// <summary>The permissions an API key can carry.</summary>
public static class Scopes
{
    public const string WizardSessionRead = "wizard_session:read";
    public const string WizardSessionWrite = "wizard_session:write";
    public const string CalculatorSessionRead = "calculator_session:read";
    public const string CalculatorSessionWrite = "calculator_session:write";
    public const string ConnectorSessionRead = "connector_session:read";
    public const string ConnectorSessionWrite = "connector_session:write";
    public const string OnboardingRead = "onboarding:read";
    public const string OnboardingWrite = "onboarding:write";

    public static IReadOnlyList<string> All { get; } =
    [
        WizardSessionRead, WizardSessionWrite,
        CalculatorSessionRead, CalculatorSessionWrite,
        ConnectorSessionRead, ConnectorSessionWrite,
        OnboardingRead, OnboardingWrite,
    ];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
