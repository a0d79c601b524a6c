using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Onboarding.OnboardingDriver;

namespace Sessions.Api.IntegrationTests.Onboarding;

/// <summary>
/// The provider address policy through registration, on a host that does not allow loopback
/// providers: every address of IANA's IPv4 and IPv6 special-purpose registries that is not globally
/// reachable is refused, however it is spelled, and public addresses are accepted.
/// </summary>
public sealed class ProviderAddressPolicyTests
{
    /// <summary>Base URLs that must be refused, with why.</summary>
    public static readonly IReadOnlyList<(string BaseUrl, string Why)> Refused =
    [
        ("https://0.0.0.0", "this network, 0.0.0.0/8"),
        ("https://10.1.2.3", "private, 10.0.0.0/8"),
        ("https://100.64.0.1", "shared address space, 100.64.0.0/10"),
        ("https://127.0.0.1", "loopback, 127.0.0.0/8"),
        ("https://169.254.169.254", "link-local (the cloud metadata address), 169.254.0.0/16"),
        ("https://172.16.0.1", "private, 172.16.0.0/12"),
        ("https://192.0.0.192", "IETF protocol assignments, 192.0.0.0/24"),
        ("https://192.0.0.170", "NAT64 discovery, 192.0.0.170/32"),
        ("https://192.0.2.1", "documentation TEST-NET-1, 192.0.2.0/24"),
        ("https://192.88.99.1", "deprecated 6to4 relay anycast, 192.88.99.0/24"),
        ("https://192.168.0.10", "private, 192.168.0.0/16"),
        ("https://198.18.0.1", "benchmarking, 198.18.0.0/15"),
        ("https://198.19.255.254", "benchmarking, 198.18.0.0/15"),
        ("https://198.51.100.7", "documentation TEST-NET-2, 198.51.100.0/24"),
        ("https://203.0.113.10", "documentation TEST-NET-3, 203.0.113.0/24"),
        ("https://224.0.0.1", "multicast, 224.0.0.0/4"),
        ("https://240.0.0.1", "reserved, 240.0.0.0/4"),
        ("https://255.255.255.255", "limited broadcast"),
        ("https://[::]", "unspecified, ::/128"),
        ("https://[::1]", "loopback, ::1/128"),
        ("https://[::127.0.0.1]", "IPv4-compatible loopback, ::/96"),
        ("https://[::7f00:1]", "IPv4-compatible loopback in hex, ::/96"),
        ("https://[::a9fe:a9fe]", "IPv4-compatible metadata address, ::/96"),
        ("https://[::ffff:127.0.0.1]", "IPv4-mapped loopback, ::ffff:0:0/96"),
        ("https://[::ffff:a9fe:a9fe]", "IPv4-mapped metadata address, ::ffff:0:0/96"),
        ("https://[::ffff:0:a9fe:a9fe]", "SIIT IPv4-translated metadata address, ::ffff:0:0:0/96"),
        ("https://[64:ff9b::a9fe:a9fe]", "NAT64 to the metadata address, 64:ff9b::/96"),
        ("https://[64:ff9b::10.0.0.1]", "NAT64 to a private address, 64:ff9b::/96"),
        ("https://[64:ff9b::7f00:1]", "NAT64 to loopback, 64:ff9b::/96"),
        ("https://[64:ff9b:1::808:808]", "local-use IPv4/IPv6 translation, 64:ff9b:1::/48"),
        ("https://[2002:a9fe:a9fe::]", "6to4 of the metadata address, 2002::/16"),
        ("https://[2002:7f00:1::1]", "6to4 of loopback, 2002::/16"),
        ("https://[2002:c0a8:1::1]", "6to4 of a private address, 2002::/16"),
        ("https://[2001:0:4136:e378:8000:63bf:80ff:fffe]", "Teredo whose client is 127.0.0.1, 2001::/32"),
        ("https://[2001:0:a00:1:8000:63bf:f7f7:f7f7]", "Teredo whose server is 10.0.0.1, 2001::/32"),
        ("https://[100::1]", "discard-only, 100::/64"),
        ("https://[2001:2::1]", "benchmarking, 2001:2::/48"),
        ("https://[2001:10::1]", "deprecated ORCHID, 2001:10::/28"),
        ("https://[2001:db8::1]", "documentation, 2001:db8::/32"),
        ("https://[3fff::1]", "documentation, 3fff::/20"),
        ("https://[5f00::1]", "segment routing SIDs, 5f00::/16"),
        ("https://[fc00::1]", "unique local, fc00::/7"),
        ("https://[fd00::1]", "unique local, fc00::/7"),
        ("https://[fe80::1]", "link-local, fe80::/10"),
        ("https://[fec0::1]", "deprecated site-local, fec0::/10"),
        ("https://[ff02::1]", "multicast, ff00::/8"),
        ("https://[4000::1]", "outside global unicast, 2000::/3"),
        ("http://8.8.8.8", "plain http"),
    ];

    /// <summary>Globally reachable addresses, plainly or in an IPv4-carrying IPv6 form, that must be accepted.</summary>
    public static readonly IReadOnlyList<(string BaseUrl, string Why)> Accepted =
    [
        ("https://8.8.8.8", "public IPv4"),
        ("https://192.0.0.9", "PCP anycast, globally reachable inside 192.0.0.0/24"),
        ("https://192.31.196.1", "AS112, globally reachable"),
        ("https://[2606:4700:4700::1111]", "public IPv6"),
        ("https://[::ffff:8.8.8.8]", "IPv4-mapped public address"),
        ("https://[64:ff9b::808:808]", "NAT64 to a public address"),
        ("https://[2002:808:808::1]", "6to4 of a public address"),
        ("https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]", "Teredo with a public server and client"),
        ("https://[2001:4:112::1]", "AS112, globally reachable inside 2001::/23"),
    ];

    [Theory, ClassData(typeof(Databases))]
    public async Task EveryAddressThatIsNotGloballyReachable_IsRefused_AndPublicOnesAreAccepted(string database)
    {
        await using var host = await ApiHost.StartAsync(database);
        var (user, tenant) = await TenantUserAsync(host);
        var wrong = new List<string>();

        foreach (var (baseUrl, why) in Refused)
        {
            var response = await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(baseUrl));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || !body.Contains("\"base_url\""))
            {
                wrong.Add($"{baseUrl} ({why}) answered {(int)response.StatusCode}, not 400 on base_url");
            }
        }

        var accepted = 0;
        foreach (var (baseUrl, why) in Accepted)
        {
            var response = await user.Client.PostAsync($"/tenants/{tenant}/provider-connections", Connection(baseUrl));
            if (response.StatusCode == HttpStatusCode.Created)
            {
                accepted++;
            }
            else
            {
                wrong.Add($"{baseUrl} ({why}) answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        wrong.Should().BeEmpty();
        (await (await user.Client.GetAsync($"/tenants/{tenant}/provider-connections")).Content.ReadAsStringAsync())
            .Should().NotContain("169.254").And.NotContain("a9fe", "no refused address was stored");
        accepted.Should().Be(Accepted.Count);
    }
}
