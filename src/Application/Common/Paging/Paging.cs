using System.ComponentModel.DataAnnotations;
namespace Sessions.Application.Common.Paging;

/// <summary>Clamps client paging input into the range the service serves.</summary>
public static class Paging
{
    public static int ClampLimit(int? requested, int defaultLimit, int maxLimit) =>
        Math.Clamp(requested ?? defaultLimit, 1, maxLimit);

    /// <summary>The largest page size any list serves.</summary>
    public const int MaxLimit = 200;

    public static int ClampOffset(int? requested) => Math.Max(requested ?? 0, 0);

    /// <summary>Page numbers start at 1; a page far past the end is simply empty.</summary>
    public static int ClampPage(int? requested) => Math.Clamp(requested ?? 1, 1, MaxPage);

    /// <summary>Keeps (page - 1) x limit within an int for any limit the service serves.</summary>
    public const int MaxPage = 1_000_000;
}

/// <summary>The <c>pagination</c> object of page-numbered lists.</summary>
public sealed record PageInfoDto(
    [property: Range(1, Paging.MaxPage)] int Page, [property: Range(1, Paging.MaxLimit)] int Limit, [property: Count] int Total);
