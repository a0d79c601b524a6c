using System.ComponentModel.DataAnnotations;

namespace Sessions.Application.Common;

/// <summary>
/// Declares, for the OpenAPI document, the bounds of a wire field that the attributes of
/// System.ComponentModel.DataAnnotations cannot express. The rules themselves live in the
/// validators and the domain; these attributes only describe them.
/// </summary>
public static class WireSchema
{
    /// <summary>The largest value of an integer id or count that is a 64-bit integer.</summary>
    public const string MaxInt64 = "9223372036854775807";

    /// <summary>The longest URL the service accepts or sends (a provider's base URL, a link to a page or run).</summary>
    public const int MaxUrlLength = 2048;
}

/// <summary>An id the service assigned from a sequence: 1 and up.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class SequenceIdAttribute() : RangeAttribute(typeof(long), "1", WireSchema.MaxInt64);

/// <summary>A count or index: 0 and up, within a 32-bit integer.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class CountAttribute() : RangeAttribute(0, int.MaxValue);

/// <summary>The longest string each entry of a list of strings may be.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ItemMaxLengthAttribute(int length) : Attribute
{
    public int Length { get; } = length;
}
