namespace Sessions.Application.Common.Paging;

/// <summary>Clamps client paging input into the range the service serves.</summary>
public static class Paging
{
    public static int ClampLimit(int? requested, int defaultLimit, int maxLimit) =>
        Math.Clamp(requested ?? defaultLimit, 1, maxLimit);

    public static int ClampOffset(int? requested) => Math.Max(requested ?? 0, 0);
}

/// <summary>The <c>pagination</c> object of page-numbered lists.</summary>
public sealed record PageInfoDto(int Page, int Limit, int Total);
