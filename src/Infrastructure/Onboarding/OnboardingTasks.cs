using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Sessions.Application.Onboarding;
using Sessions.Domain.Onboarding;

namespace Sessions.Infrastructure.Onboarding;

/// <summary>The tasks in code, by stable key. To add one: write an <see cref="IOnboardingTask"/> and register it here.</summary>
public sealed class OnboardingTaskCatalog(IEnumerable<IOnboardingTask> tasks) : IOnboardingTaskCatalog
{
    private readonly Dictionary<string, IOnboardingTask> _tasks = Bounded(tasks.ToDictionary(t => t.Key, StringComparer.Ordinal));

    public IReadOnlyList<string> Keys => _tasks.Keys.Order(StringComparer.Ordinal).ToList();

    public IOnboardingTask? Find(string? key) => key is null ? null : _tasks.GetValueOrDefault(key);

    private static Dictionary<string, IOnboardingTask> Bounded(Dictionary<string, IOnboardingTask> tasks) =>
        tasks.Count <= IOnboardingTaskCatalog.MaxTasks && tasks.Keys.All(key => key.Length <= OperationRun.MaxTaskTypeLength)
            ? tasks
            : throw new InvalidOperationException(
                $"The onboarding task catalog holds at most {IOnboardingTaskCatalog.MaxTasks} tasks with keys of at most {OperationRun.MaxTaskTypeLength} characters.");

    public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IOnboardingTask, ConnectionVerifyTask>(services);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IOnboardingTask, PermissionsVerifyTask>(services);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IOnboardingTaskCatalog, OnboardingTaskCatalog>(services);
    }
}

/// <summary>Calls the provider with the connection's credentials; every text that leaves is redacted.</summary>
public abstract class ProviderTask(IHttpClientFactory clients, IOptions<OnboardingOptions> options) : IOnboardingTask
{
    public const string HttpClientName = "onboarding-provider";

    public abstract string Key { get; }

    protected OnboardingOptions Options => options.Value;

    public async Task<TaskOutcome> RunAsync(ProviderAccess provider, CancellationToken cancellationToken)
    {
        try
        {
            return await CheckAsync(provider, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException
                                              && !cancellationToken.IsCancellationRequested)
        {
            return Outcome(EvidenceStatus.Fail, "provider_unreachable",
                provider.Redact($"The provider could not be reached: {exception.GetType().Name}."), new JsonObject());
        }
    }

    protected abstract Task<TaskOutcome> CheckAsync(ProviderAccess provider, CancellationToken cancellationToken);

    protected async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> GetAsync(
        ProviderAccess provider, string path, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(HttpClientName);
        client.Timeout = Options.ProbeTimeout;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{provider.Connection.BaseUrl}/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{provider.Connection.ClientId}:{provider.ClientSecret}")));
        var started = Stopwatch.GetTimestamp();
        var response = await client.SendAsync(request, cancellationToken);
        return (response, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The start of a provider's error answer, for the evidence message (cut to its bound after redaction).
    /// A secret longer past the message's bound is read, so a secret that starts within the kept part
    /// ends within what is read, and redaction finds all of it.
    /// </summary>
    protected static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int readAtMost = TaskOutcome.MaxMessageLength + ProviderConnection.MaxSecretLength;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var text = new char[readAtMost];
        var read = await reader.ReadBlockAsync(text.AsMemory(), cancellationToken);
        return new string(text, 0, read);
    }

    protected static TaskOutcome Outcome(EvidenceStatus status, string? reasonCode, string message, JsonObject payload) =>
        new(status, reasonCode, message, payload.ToJsonString());
}

/// <summary><c>onboarding.connection.verify</c>: GET {base_url}/health — fast 2xx ok, slow 2xx warn, anything else fail.</summary>
public sealed class ConnectionVerifyTask(IHttpClientFactory clients, IOptions<OnboardingOptions> options) : ProviderTask(clients, options)
{
    public override string Key => "onboarding.connection.verify";

    protected override async Task<TaskOutcome> CheckAsync(ProviderAccess provider, CancellationToken cancellationToken)
    {
        var (response, elapsed) = await GetAsync(provider, "health", cancellationToken);
        using (response)
        {
            var payload = new JsonObject { ["http_status"] = (int)response.StatusCode, ["elapsed_ms"] = (int)elapsed.TotalMilliseconds };
            if (!response.IsSuccessStatusCode)
            {
                return Outcome(EvidenceStatus.Fail, "provider_error",
                    $"The provider's health check answered {(int)response.StatusCode}: {await ErrorTextAsync(response, cancellationToken)}", payload);
            }

            return elapsed > Options.SlowAfter
                ? Outcome(EvidenceStatus.Warn, "provider_slow", $"The provider answered in {(int)elapsed.TotalMilliseconds} ms.", payload)
                : Outcome(EvidenceStatus.Ok, null, "The provider is reachable.", payload);
        }
    }
}

/// <summary>
/// <c>onboarding.permissions.verify</c>: GET {base_url}/permissions (<c>{"granted": [...]}</c>) compared with the
/// required and optional lists — all present ok, an optional one missing warn, a required one missing fail.
/// </summary>
public sealed class PermissionsVerifyTask(IHttpClientFactory clients, IOptions<OnboardingOptions> options) : ProviderTask(clients, options)
{
    public override string Key => "onboarding.permissions.verify";

    protected override async Task<TaskOutcome> CheckAsync(ProviderAccess provider, CancellationToken cancellationToken)
    {
        var (response, _) = await GetAsync(provider, "permissions", cancellationToken);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return Outcome(EvidenceStatus.Fail, "provider_error",
                    $"The provider's permission list answered {(int)response.StatusCode}: {await ErrorTextAsync(response, cancellationToken)}",
                    new JsonObject { ["http_status"] = (int)response.StatusCode });
            }

            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var granted = (body?["granted"] as JsonArray ?? []).Select(p => p?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var missingRequired = Options.RequiredPermissions.Where(p => !granted.Contains(p)).ToList();
            var missingOptional = Options.OptionalPermissions.Where(p => !granted.Contains(p)).ToList();
            var payload = new JsonObject
            {
                ["missing_required"] = new JsonArray(missingRequired.Select(p => (JsonNode)p).ToArray()),
                ["missing_optional"] = new JsonArray(missingOptional.Select(p => (JsonNode)p).ToArray()),
            };
            if (missingRequired.Count > 0)
            {
                return Outcome(EvidenceStatus.Fail, "missing_required_permissions",
                    $"Required permissions are missing: {string.Join(", ", missingRequired)}.", payload);
            }

            return missingOptional.Count > 0
                ? Outcome(EvidenceStatus.Warn, "missing_optional_permissions",
                    $"Optional permissions are missing: {string.Join(", ", missingOptional)}.", payload)
                : Outcome(EvidenceStatus.Ok, null, "Every permission is granted.", payload);
        }
    }
}
