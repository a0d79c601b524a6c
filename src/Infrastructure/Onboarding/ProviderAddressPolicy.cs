using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Sessions.Application.Onboarding;
using Sessions.Domain.Common;

namespace Sessions.Infrastructure.Onboarding;

/// <summary>
/// Keeps provider calls away from the service's own network (SSRF): https only, and only to globally
/// reachable addresses (see <see cref="SpecialPurposeAddresses"/>); loopback (over http too) only when
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
                "'base_url' must point at a globally reachable address; private, loopback, link-local, shared, reserved, documentation and other special-purpose addresses are refused.");
        }
    }

    /// <summary>Connects only to an allowed address of the host (the HTTP client's connect callback).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = (await ResolveAsync(context.DnsEndPoint.Host, cancellationToken)).Where(IsAllowed).ToArray();
        if (addresses.Length == 0)
        {
            throw new ProviderAddressRefusedException(context.DnsEndPoint.Host);
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

    public bool IsAllowed(IPAddress address) =>
        SpecialPurposeAddresses.Classify(address) switch
        {
            AddressReach.Global => true,
            AddressReach.Loopback => options.Value.AllowLoopbackProviders,
            _ => false,
        };

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
