using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Sessions.Infrastructure.Onboarding;

/// <summary>
/// Says in words why a provider could not be reached, for evidence and run messages a tenant's admin
/// reads: what happened on the network, never the name of an exception type.
/// </summary>
public static class ProviderFailures
{
    public static string Describe(Exception exception, TimeSpan timeout)
    {
        var chain = Chain(exception).ToList();

        // First: cancelling a read aborts its socket, so a timeout also carries a socket error.
        if (exception is OperationCanceledException || chain.OfType<TimeoutException>().Any())
        {
            return $"timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
        }

        if (chain.OfType<ProviderAddressRefusedException>().Any())
        {
            return "its host resolves to no address the service may connect to";
        }

        if (chain.OfType<AuthenticationException>().Any())
        {
            return "TLS handshake failed";
        }

        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "its host name could not be resolved",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown or SocketError.NetworkDown => "host unreachable",
                SocketError.TimedOut => "connecting timed out",
                SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "the connection was reset",
                _ => "the connection failed",
            };
        }

        return chain.OfType<HttpRequestException>().Select(h => h.HttpRequestError).FirstOrDefault() switch
        {
            HttpRequestError.NameResolutionError => "its host name could not be resolved",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            HttpRequestError.ConnectionError => "the connection failed",
            HttpRequestError.ResponseEnded => "the connection closed before the answer was complete",
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError => "the answer was not valid HTTP",
            _ when exception is IOException => "the connection broke while the answer was read",
            _ => "the request failed",
        };
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}

/// <summary>The provider's host resolves only to addresses the service refuses to connect to (or to none).</summary>
public sealed class ProviderAddressRefusedException(string host)
    : HttpRequestException($"The provider host {host} resolves to no allowed address.");
