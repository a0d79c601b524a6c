using NJsonSchema;
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

    /// <summary>The OpenAPI format registry's name for a UUID.</summary>
    public const string UuidFormat = "uuid";

    public const int MaxUrlLength = WireSchema.MaxUrlLength;

    /// <summary>
    /// Every id named in a path is at most 255 characters (DESIGN: "ids 255"); a longer one cannot
    /// name anything, so it is answered 404 like any other unknown id.
    /// </summary>
    public const int MaxPathIdLength = 255;

    /// <summary>
    /// Bounds a string by its format and an integer by its width, where nothing tighter is declared.
    /// A UUID is written with the registered format name <c>uuid</c> (the generator's own is <c>guid</c>).
    /// </summary>
    public static void Complete(JsonSchema schema)
    {
        if (schema.Format == JsonFormatStrings.Guid)
        {
            schema.Format = UuidFormat;
        }

        if (schema.Type.HasFlag(JsonObjectType.String) && schema.MaxLength is null && schema.Enumeration.Count == 0)
        {
            schema.MaxLength = schema.Format switch
            {
                JsonFormatStrings.DateTime => MaxTimestampLength,
                UuidFormat => UuidLength,
                _ => null,
            };
        }

        if (schema.Type.HasFlag(JsonObjectType.Integer))
        {
            var (minimum, maximum) = schema.Format == JsonFormatStrings.Long ? (long.MinValue, long.MaxValue) : (int.MinValue, int.MaxValue);
            schema.Minimum ??= minimum;
            schema.Maximum ??= maximum;
        }
    }
}

/// <summary>The most entries an action's bare-array answer holds (its paging maximum, or a catalog's size).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ListLimitAttribute(int maxItems) : Attribute
{
    public int MaxItems { get; } = maxItems;
}
