using System.Collections.Concurrent;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>One shared host per provider for the whole run; tests stay apart by using their own users.</summary>
public sealed class ApiHosts : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ApiHost>>> _hosts = new();

    public Task<ApiHost> For(string provider) =>
        _hosts.GetOrAdd(provider, p => new Lazy<Task<ApiHost>>(() => ApiHost.StartAsync(p))).Value;

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
public sealed class ApiCollection : ICollectionFixture<ApiHosts>
{
    public const string Name = "api";
}
