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

    /// <summary>Requests one client address may make per minute on average to shared calculator results (no key).</summary>
    public int ShareRateLimitPerMinute { get; init; } = 60;

    /// <summary>Requests to shared results one client address may make at once before the average applies.</summary>
    public int ShareRateLimitBurst { get; init; } = 20;

    /// <summary>
    /// Addresses of the proxies (a TLS-terminating load balancer) whose <c>X-Forwarded-For/-Proto/-Host</c> are
    /// believed: links and <c>Location</c> then carry the public scheme and host, and per-address rate limits the
    /// real client. None by default: the headers of a client talking to the service directly mean nothing.
    /// </summary>
    public string[] KnownProxies { get; init; } = [];

    /// <summary>Browser origins allowed to call the API (CORS); none by default.</summary>
    public string[] CorsOrigins { get; init; } = [];

    /// <summary>
    /// Open HTTP connections Kestrel accepts at once (streams included); past it a new connection is
    /// closed at once. Unset: three quarters of the process's file descriptor limit (see
    /// <see cref="Hosting.ConnectionLimits"/>), leaving the rest for database connections, provider
    /// calls and files.
    /// </summary>
    public long? MaxConcurrentConnections { get; init; }

    /// <summary>Connections upgraded to another protocol (WebSockets); the service serves none, so none by default.</summary>
    public long MaxConcurrentUpgradedConnections { get; init; }

    /// <summary>How long a connection may sit idle, before its first request or between two, before it is closed.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a client may take to send a request's headers once it has begun.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static ApiOptions From(IConfiguration configuration) =>
        configuration.GetSection("Sessions:Api").Get<ApiOptions>() ?? new ApiOptions();
}
