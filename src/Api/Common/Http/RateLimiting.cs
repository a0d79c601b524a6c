using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Sessions.Api.Common.Errors;
using Sessions.Application.Access;
using Sessions.Application.Common.Telemetry;

namespace Sessions.Api.Common.Http;

/// <summary>
/// One token bucket per API key (per client address before a key is proven), answering 429 with
/// Retry-After: the PostHog wizard client waits that long and tries once more.
/// </summary>
public static class RateLimiting
{
    /// <summary>
    /// The policy of routes anyone may call without a key (shared results): a bucket per client address of
    /// its own, smaller than a key's, so guessing tokens is slow and other callers are not affected.
    /// </summary>
    public const string PerAddressPolicy = "per-address";

    public static IServiceCollection AddPerKeyRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<ApiOptions>((limiter, options) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var partition = context.Features.Get<AuthenticatedKey>()?.Prefix
                                ?? "anonymous:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitBurst,
                    TokensPerPeriod = options.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.AddPolicy(PerAddressPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                "address:" + context.Connection.RemoteIpAddress, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.ShareRateLimitBurst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, options.ShareRateLimitPerMinute),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : 1;
                rejected.HttpContext.RequestServices.GetRequiredService<SessionsMetrics>().RateLimited();
                WriteHeaders(rejected.HttpContext.Response, options.RateLimitBurst, remaining: 0);
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var whose = rejected.HttpContext.Features.Get<AuthenticatedKey>() is null ? "from this client address" : "for this API key";
                await Problems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"Too many requests {whose}; retry after {retryAfter} s.", "rate_limited");
            };
        });
        services.AddRateLimiter(_ => { });
        return services;
    }

    /// <summary>The headers every answer carries about its key's bucket, as the OpenAPI document describes them.</summary>
    public static readonly IReadOnlyDictionary<string, string> HeaderDescriptions = new Dictionary<string, string>
    {
        ["RateLimit-Limit"] = "Requests this API key may make at once (the size of its bucket).",
        ["RateLimit-Remaining"] = "Requests left in the bucket now.",
        ["RateLimit-Reset"] = "Seconds until the bucket is refilled by the key's per-second rate.",
    };

    /// <summary>
    /// Writes the bucket's state on every answer that passed the limiter (refusals write theirs in
    /// OnRejected), as the response starts: an error answer clears the headers set before it.
    /// </summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (IsExempt(context))
        {
            return next(context);
        }

        var limiter = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
        var burst = context.RequestServices.GetRequiredService<ApiOptions>().RateLimitBurst;
        context.Response.OnStarting(() =>
        {
            if (limiter?.GetStatistics(context) is { } statistics && !context.Response.Headers.ContainsKey("RateLimit-Limit"))
            {
                WriteHeaders(context.Response, burst, statistics.CurrentAvailablePermits);
            }

            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>An endpoint mapped with <c>DisableRateLimiting()</c> (health) is neither limited nor reports a bucket.</summary>
    private static bool IsExempt(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null;

    private static void WriteHeaders(HttpResponse response, int limit, long remaining)
    {
        response.Headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = Math.Max(0, remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Reset"] = "1";
    }
}
