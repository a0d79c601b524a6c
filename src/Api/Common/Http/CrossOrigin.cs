using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Sessions.Api.Common.Http;

/// <summary>
/// Browser access (CORS) for the origins in <c>Sessions:Api:CorsOrigins</c>. With none listed, no
/// answer carries <c>Access-Control-Allow-Origin</c>, so browsers on other origins cannot read it.
/// The API authenticates with bearer keys, never cookies, so credentials are not allowed.
/// </summary>
public static class CrossOrigin
{
    public const string AllowOriginHeader = "Access-Control-Allow-Origin";

    public const string AllowOriginDescription =
        "The calling page's origin, sent only when it is one of the configured Sessions:Api:CorsOrigins.";

    /// <summary>What a page may read from an answer besides the CORS-safelisted headers.</summary>
    private static readonly string[] ExposedHeaders =
    [
        "ETag", "Location", "Retry-After", IdempotencyFilter.ReplayedHeader, .. RateLimiting.HeaderDescriptions.Keys,
    ];

    public static IServiceCollection AddCrossOrigin(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<ApiOptions>((cors, api) =>
            cors.AddDefaultPolicy(policy => policy
                .WithOrigins(api.CorsOrigins)
                .AllowAnyMethod()
                .AllowAnyHeader()
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return services;
    }
}
