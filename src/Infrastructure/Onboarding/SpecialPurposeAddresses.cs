using System.Net;
using System.Net.Sockets;

namespace Sessions.Infrastructure.Onboarding;

/// <summary>Whether the service may send a tenant's provider call to an address.</summary>
public enum AddressReach
{
    /// <summary>Globally reachable: a public host.</summary>
    Global,

    /// <summary>This machine (127.0.0.0/8, ::1, or either embedded in IPv6).</summary>
    Loopback,

    /// <summary>Not globally reachable: private, shared, link-local, reserved, documentation, multicast…</summary>
    NotGlobal,
}

/// <summary>
/// The IANA IPv4 and IPv6 Special-Purpose Address Registries as a classifier: every block whose
/// "Globally Reachable" is false (or that is deprecated) is <see cref="AddressReach.NotGlobal"/>,
/// as are multicast and IPv6 space outside global unicast (2000::/3). An IPv6 address that carries
/// an IPv4 address (IPv4-compatible <c>::a.b.c.d</c>, IPv4-mapped <c>::ffff:a.b.c.d</c>, SIIT
/// <c>::ffff:0:a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>, Teredo <c>2001::/32</c>)
/// is judged by the IPv4 address it reaches, so a public-looking IPv6 spelling of 127.0.0.1 or
/// 169.254.169.254 is refused like the address itself.
/// </summary>
public static class SpecialPurposeAddresses
{
    private static readonly IPNetwork[] NotGlobalV4 =
    [
        .. Networks("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32"),
    ];

    /// <summary>Globally reachable blocks inside a larger not-global one (PCP and TURN anycast).</summary>
    private static readonly IPNetwork[] GlobalV4 = [.. Networks("192.0.0.9/32", "192.0.0.10/32")];

    private static readonly IPNetwork LoopbackV4 = IPNetwork.Parse("127.0.0.0/8");

    /// <summary>Global unicast; everything else (ULA, link-local, multicast, 64:ff9b:1::/48, 100::/64, 5f00::/16…) is not global.</summary>
    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork[] NotGlobalV6 =
    [
        .. Networks("2001::/23", "2001:db8::/32", "3fff::/20"),
    ];

    /// <summary>Globally reachable blocks inside 2001::/23: PCP, TURN and DNS-SD SRP anycast, AMT, AS112, ORCHIDv2, DRIP.</summary>
    private static readonly IPNetwork[] GlobalV6 =
    [
        .. Networks("2001:1::1/128", "2001:1::2/128", "2001:1::3/128", "2001:3::/32", "2001:4:112::/48", "2001:20::/28", "2001:30::/28"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");

    public static AddressReach Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressReach.NotGlobal;
        }

        address = address.ScopeId == 0 ? address : new IPAddress(address.GetAddressBytes());
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressReach.Loopback;
        }

        var embedded = EmbeddedIPv4(address);
        if (embedded.Count > 0)
        {
            // The least reachable of what it carries (Teredo carries its server and its client).
            return embedded.Select(ClassifyV4).Max();
        }

        if (GlobalV6.Any(network => network.Contains(address)))
        {
            return AddressReach.Global;
        }

        return GlobalUnicastV6.Contains(address) && !NotGlobalV6.Any(network => network.Contains(address))
            ? AddressReach.Global
            : AddressReach.NotGlobal;
    }

    /// <summary>The IPv4 addresses an IPv6 address carries, by its form; empty for a plain IPv6 address.</summary>
    public static IReadOnlyList<IPAddress> EmbeddedIPv4(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var upperZero = bytes.AsSpan(0, 8).IndexOfAnyExcept((byte)0) < 0;
        var compatible = upperZero && bytes.AsSpan(8, 4).IndexOfAnyExcept((byte)0) < 0 && !address.Equals(IPAddress.IPv6Any);
        var mapped = upperZero && bytes[8] == 0 && bytes[9] == 0 && bytes[10] == 0xFF && bytes[11] == 0xFF;
        var translated = upperZero && bytes[8] == 0xFF && bytes[9] == 0xFF && bytes[10] == 0 && bytes[11] == 0;
        if (compatible || mapped || translated || Nat64.Contains(address))
        {
            return [new IPAddress(bytes.AsSpan(12, 4))];
        }

        if (SixToFour.Contains(address))
        {
            return [new IPAddress(bytes.AsSpan(2, 4))];
        }

        if (Teredo.Contains(address))
        {
            var client = bytes.AsSpan(12, 4).ToArray();
            for (var i = 0; i < client.Length; i++)
            {
                client[i] ^= 0xFF;
            }

            return [new IPAddress(bytes.AsSpan(4, 4)), new IPAddress(client)];
        }

        return [];
    }

    private static AddressReach ClassifyV4(IPAddress address)
    {
        if (LoopbackV4.Contains(address))
        {
            return AddressReach.Loopback;
        }

        return GlobalV4.Any(network => network.Contains(address)) || !NotGlobalV4.Any(network => network.Contains(address))
            ? AddressReach.Global
            : AddressReach.NotGlobal;
    }

    private static IEnumerable<IPNetwork> Networks(params string[] cidrs) => cidrs.Select(IPNetwork.Parse);
}
