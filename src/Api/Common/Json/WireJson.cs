using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sessions.Api.Common.Json;

/// <summary>
/// The service's JSON: snake_case names and enums, UTC timestamps with <c>Z</c> at second
/// precision, unknown properties ignored. Modules that speak camelCase (ConnectorSessions)
/// name their fields explicitly. Applied to MVC and to the minimal-API options the OpenAPI
/// generator reads, so the document and the wire agree. The contracts come from
/// <see cref="WireJsonContext"/>, built at compile time; reflection builds only those of types it lacks.
/// </summary>
public static class WireJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;

        // Names are matched exactly, as they are on the wire. Free-form objects (data, event_plan,
        // payload) take this setting too, and must keep {"a":1,"A":2} as two members: read without
        // regard to case, such an object collided with itself (a 500).
        options.PropertyNameCaseInsensitive = false;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;

        // A number is a JSON number: "5" is not accepted for an integer field.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new UtcSecondsConverter());

        // First, before the framework's reflection resolver: the generated metadata takes the names,
        // converters and number handling above when it is resolved for these options.
        options.TypeInfoResolverChain.Insert(0, WireJsonContext.Default);
    }

    private sealed class UtcSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
