using Microsoft.OpenApi;
using Sessions.Application.Common;

namespace Sessions.Api.Common.OpenApi;

/// <summary>
/// The limits a schema states by its format alone, so the document bounds every string and
/// integer even where no attribute names a limit: a timestamp, a UUID, an integer of its width.
/// Limits that come from the service's rules are declared beside the fields themselves
/// (<c>[MaxLength]</c>, <c>[Range]</c>, route constraints).
/// </summary>
public static class WireLimits
{
    /// <summary>The longest ISO 8601 timestamp System.Text.Json reads; a longer one is refused as malformed.</summary>
    public const int MaxTimestampLength = 42;

    /// <summary>A UUID in its canonical 8-4-4-4-12 form.</summary>
    public const int UuidLength = 36;

    public const int MaxUrlLength = WireSchema.MaxUrlLength;

    /// <summary>
    /// Every id named in a path is at most 255 characters (DESIGN: "ids 255"); a longer one cannot
    /// name anything, so it is answered 404 like any other unknown id.
    /// </summary>
    public const int MaxPathIdLength = 255;

    public static void Complete(OpenApiSchema schema)
    {
        if (schema.Type is not { } type)
        {
            return;
        }

        if (type.HasFlag(JsonSchemaType.String) && schema.MaxLength is null && schema.Enum is not { Count: > 0 })
        {
            schema.MaxLength = schema.Format switch
            {
                "date-time" => MaxTimestampLength,
                "uuid" => UuidLength,
                _ => schema.MaxLength,
            };
        }

        if (type.HasFlag(JsonSchemaType.Integer))
        {
            var (minimum, maximum) = schema.Format == "int64" ? (long.MinValue, long.MaxValue) : (int.MinValue, int.MaxValue);
            schema.Minimum ??= Invariant(minimum);
            schema.Maximum ??= Invariant(maximum);
        }
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The most entries an action's bare-array answer holds (its paging maximum, or a catalog's size).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ListLimitAttribute(int maxItems) : Attribute
{
    public int MaxItems { get; } = maxItems;
}
