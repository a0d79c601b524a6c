using System.Net.Http.Headers;
using MediatR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Sessions.Application.Access.Commands;
using Sessions.Domain.Access;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The real service (same Program, same pipeline) on a fresh database of one provider, with a
/// clock the test controls. Clients are authenticated with keys made the way the CLI makes them.
/// </summary>
public sealed class ApiHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly bool _ownsDatabase = true;
    private Action<IServiceCollection>? _services;
    private int _users;

    private ApiHost(TestDatabase database, IReadOnlyDictionary<string, string?> settings, bool ownsDatabase = true)
    {
        Database = database;
        _settings = settings;
        _ownsDatabase = ownsDatabase;
    }

    public TestDatabase Database { get; }

    /// <summary>Every log line the host wrote, formatted, for tests that check what is (not) logged.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; } = new();
    /// <summary>The key that seals provider secrets in every test host (32 bytes, base64).</summary>
    public const string SecretsKey = "c2Vzc2lvbnMtdGVzdC1zZWFsaW5nLWtleS0zMi1ieXQ=";

    public TestClock Clock { get; } = new();
    public string Provider => Database.Provider;

    /// <summary>A second instance of the service on the same database, as a scaled-out deployment runs.</summary>
    public static Task<ApiHost> SharingDatabaseOf(ApiHost first, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = new ApiHost(first.Database, settings ?? first._settings, ownsDatabase: false);
        host.Services.GetRequiredService<DatabaseOptions>().ConnectionString.Should().Be(first.Database.ConnectionString);
        return Task.FromResult(host);
    }

    /// <summary>Waits until this instance reads the changes other instances make to wizard runs.</summary>
    public Task WaitUntilListeningAsync() =>
        Services.GetRequiredService<Sessions.Infrastructure.WizardRuns.DatabaseWizardRunFeed>().Started.WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Where a Kestrel-hosted instance listens (null on the in-memory test server).</summary>
    public Uri? BaseAddress { get; private set; }

    /// <param name="kestrel">Serve on a real loopback port instead of the in-memory test server.</param>
    /// <param name="services">Test hooks composed over the service's own registrations (fault and timing seams).</param>
    public static async Task<ApiHost> StartAsync(
        string provider, IReadOnlyDictionary<string, string?>? settings = null, bool kestrel = false,
        Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var host = new ApiHost(database, settings ?? new Dictionary<string, string?>()) { _services = services };
        if (kestrel)
        {
            host.UseKestrel(0);
            host.StartServer();
            var addresses = host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
            host.BaseAddress = new Uri(addresses.Addresses.First());
        }

        // Start now, so migrations run before the first request, and make sure the host really
        // uses the database it was given: a silent fallback would make every test prove nothing.
        var options = host.Services.GetRequiredService<DatabaseOptions>();
        options.ConnectionString.Should().Be(database.ConnectionString);
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Sessions:Database:Provider"] = Database.Provider,
            ["ConnectionStrings:Sessions"] = Database.ConnectionString,
            ["Sessions:Api:RateLimitPerSecond"] = "100000",
            ["Sessions:Api:RateLimitBurst"] = "100000",
            ["Sessions:Secrets:Key"] = SecretsKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in _settings)
        {
            settings[key] = value;
        }

        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new CapturingLoggerProvider(Logs));
            // Captured from Information up, or from the level a test asks the host to log at (Trace to see everything).
            var captureFrom = Enum.TryParse<Microsoft.Extensions.Logging.LogLevel>(settings["Logging:LogLevel:Default"], out var configured)
                              && configured < Microsoft.Extensions.Logging.LogLevel.Information
                ? configured
                : Microsoft.Extensions.Logging.LogLevel.Information;
            services.AddLogging(logging => Microsoft.Extensions.Logging.FilterLoggingBuilderExtensions.AddFilter<CapturingLoggerProvider>(
                logging, null, captureFrom));
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(services);
        });
    }

    /// <summary>A new user (unique handle) with a key of the given scopes and grants.</summary>
    public async Task<TestUser> CreateUserAsync(
        IReadOnlyList<string>? scopes = null, int[]? projects = null, int[]? tenants = null, string[]? organisations = null,
        int? expiresInDays = null)
    {
        var handle = $"usr-{Interlocked.Increment(ref _users)}-{Guid.NewGuid():N}"[..24];
        return await CreateKeyAsync(handle, scopes, projects, tenants, organisations, expiresInDays);
    }

    /// <summary>Another key of the user with this handle (the user is created when new), with its own scopes and grants.</summary>
    public async Task<TestUser> CreateKeyAsync(
        string handle, IReadOnlyList<string>? scopes = null, int[]? projects = null, int[]? tenants = null, string[]? organisations = null,
        int? expiresInDays = null)
    {
        var key = await SendAsync(new CreateApiKeyCommand(handle, scopes ?? Scopes.All, projects, tenants, organisations,
            ExpiresInDays: expiresInDays));
        return new TestUser(handle, key.UserId, key.Prefix, key.Token, CreateClient(key.Token));
    }

    public HttpClient CreateClient(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Test setup through the application layer, as the CLI verbs do.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}

public sealed record TestUser(string Handle, long UserId, string KeyPrefix, string Token, HttpClient Client);

/// <summary>Keeps every log line (all levels) so tests can assert on what the service logs.</summary>
public sealed class CapturingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> lines) : Microsoft.Extensions.Logging.ILoggerProvider
{
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
