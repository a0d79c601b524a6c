namespace Sessions.Api.Common.Http;

/// <summary><c>Sessions:Api</c>: limits and switches of the HTTP surface.</summary>
public sealed record ApiOptions
{
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Serve the OpenAPI document and Swagger UI.</summary>
    public bool Docs { get; init; } = true;

    /// <summary>Requests a key may make per second on average.</summary>
    public int RateLimitPerSecond { get; init; } = 200;

    /// <summary>Requests a key may make at once before the average applies.</summary>
    public int RateLimitBurst { get; init; } = 400;

    /// <summary>Browser origins allowed to call the API (CORS); none by default.</summary>
    public string[] CorsOrigins { get; init; } = [];

    public static ApiOptions From(IConfiguration configuration) =>
        configuration.GetSection("Sessions:Api").Get<ApiOptions>() ?? new ApiOptions();
}
