using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Sessions.Application.Onboarding;
using Sessions.Domain.Common;

namespace Sessions.Infrastructure.Onboarding;

/// <summary>
/// Keeps provider calls away from the service's own network (SSRF): https only, and never to
/// private, link-local, shared or unspecified addresses; loopback (over http too) only when
/// <c>Sessions:Onboarding:AllowLoopbackProviders</c> is on. Checked when a connection is registered
/// and again on every connect, so a name that later resolves elsewhere is still refused.
/// </summary>
public sealed class ProviderAddressPolicy(IOptions<OnboardingOptions> options) : IProviderAddressPolicy
{
    public async Task EnsureAllowedAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        var loopbackAllowed = options.Value.AllowLoopbackProviders;
        if (baseUrl.Scheme != Uri.UriSchemeHttps && !(loopbackAllowed && baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback))
        {
            throw new RuleViolationException("base_url", "insecure_base_url", "'base_url' must use https.");
        }

        var addresses = await ResolveAsync(baseUrl.IdnHost, cancellationToken);
        if (addresses.Length == 0 || !addresses.All(IsAllowed))
        {
            throw new RuleViolationException("base_url", "forbidden_address",
                "'base_url' must point at a public address; private, link-local and loopback addresses are refused.");
        }
    }

    /// <summary>Connects only to an allowed address of the host (the HTTP client's connect callback).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = (await ResolveAsync(context.DnsEndPoint.Host, cancellationToken)).Where(IsAllowed).ToArray();
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"The provider host {context.DnsEndPoint.Host} resolves to no allowed address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return options.Value.AllowLoopbackProviders;
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            var uniqueLocal = (bytes[0] & 0xFE) == 0xFC;
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || uniqueLocal);
        }

        var b = address.GetAddressBytes();
        return !(b[0] == 10
                 || b[0] == 0
                 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                 || (b[0] == 192 && b[1] == 168)
                 || (b[0] == 169 && b[1] == 254)
                 || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                 || b[0] >= 224);
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
