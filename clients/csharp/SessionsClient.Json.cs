using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sessions.Client;

/// <summary>
/// The service writes enums as snake_case strings (<c>in_progress</c>); the generated clients leave
/// enum handling to this hook, which every client shares.
/// </summary>
internal static class WireEnums
{
    public static void Apply(JsonSerializerOptions settings) =>
        settings.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
}

public partial class WizardSessionsClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => WireEnums.Apply(settings);
}

public partial class WizardRunsClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => WireEnums.Apply(settings);
}

public partial class CalculatorSessionsClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => WireEnums.Apply(settings);
}

public partial class ConnectorSessionsClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => WireEnums.Apply(settings);
}

public partial class OnboardingClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) => WireEnums.Apply(settings);
}
