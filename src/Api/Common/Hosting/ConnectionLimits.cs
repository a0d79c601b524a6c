using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sessions.Api.Common.Http;

namespace Sessions.Api.Common.Hosting;

/// <summary>
/// Kestrel's limits from <c>Sessions:Api</c>. Without a bound on connections, clients holding idle
/// connections can use up the process's file descriptors, and then no request, database connection or
/// file can be opened; with one, a connection past it is closed at once while the open ones carry on.
/// </summary>
public static class ConnectionLimits
{
    /// <summary>Used when the descriptor limit cannot be read (not Linux) or is unlimited.</summary>
    public const long FallbackMaxConnections = 10_000;

    /// <summary>Fewer are never set by default, whatever the descriptor limit says.</summary>
    private const long LeastMaxConnections = 64;

    public static void Apply(KestrelServerOptions kestrel, ApiOptions api)
    {
        kestrel.Limits.MaxRequestBodySize = api.MaxRequestBodyBytes;
        kestrel.Limits.MaxConcurrentConnections = api.MaxConcurrentConnections ?? DefaultMaxConnections(OpenFileLimit());
        kestrel.Limits.MaxConcurrentUpgradedConnections = api.MaxConcurrentUpgradedConnections;
        kestrel.Limits.KeepAliveTimeout = api.KeepAliveTimeout;
        kestrel.Limits.RequestHeadersTimeout = api.RequestHeadersTimeout;
    }

    /// <summary>Three quarters of the descriptor limit: the rest is for database connections, provider calls and files.</summary>
    public static long DefaultMaxConnections(long? openFileLimit) =>
        openFileLimit is { } limit ? Math.Max(LeastMaxConnections, limit / 4 * 3) : FallbackMaxConnections;

    /// <summary>The process's soft limit on open files (Linux <c>/proc/self/limits</c>), or null when unknown or unlimited.</summary>
    public static long? OpenFileLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return long.TryParse(soft, System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
