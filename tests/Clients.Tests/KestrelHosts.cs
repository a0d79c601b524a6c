using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Clients.Tests;

/// <summary>One real Kestrel server on a loopback port per provider, shared by the client tests.</summary>
public sealed class KestrelHosts : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ApiHost>>> _hosts = new();

    public Task<ApiHost> For(string provider) =>
        _hosts.GetOrAdd(provider, p => new Lazy<Task<ApiHost>>(() => ApiHost.StartAsync(p, kestrel: true))).Value;

    /// <summary>A new user and a plain HttpClient (no test-server handler) aimed at the real server.</summary>
    public async Task<HttpClient> ClientForNewUserAsync(
        string provider, int[]? projects = null, int[]? tenants = null, string[]? organisations = null) =>
        (await UserAsync(provider, projects, tenants, organisations)).Client;

    /// <summary>A new user of the real server, with the grants given, and its HttpClient.</summary>
    public async Task<(TestUser User, HttpClient Client)> UserAsync(
        string provider, int[]? projects = null, int[]? tenants = null, string[]? organisations = null)
    {
        var host = await For(provider);
        var user = await host.CreateUserAsync(projects: projects, tenants: tenants, organisations: organisations);
        var client = new HttpClient { BaseAddress = host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return (user, client);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values.Where(h => h.IsValueCreated))
        {
            await (await host.Value).DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClientCollection : ICollectionFixture<KestrelHosts>
{
    public const string Name = "clients";
}
