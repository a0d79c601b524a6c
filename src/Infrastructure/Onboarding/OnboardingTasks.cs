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

/// <summary>
/// Calls the provider with the connection's credentials; every text that leaves is redacted. An
/// answer is read only up to a bound and must have the documented shape: anything else fails the
/// check at once with evidence saying why, never an exception that would leave the run to be retried.
/// </summary>
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
        catch (ProviderAnswerException refused)
        {
            return Outcome(EvidenceStatus.Fail, refused.ReasonCode, refused.Message, refused.Payload);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException
                                              && !cancellationToken.IsCancellationRequested)
        {
            return Outcome(EvidenceStatus.Fail, "provider_unreachable",
                provider.Redact($"The provider could not be reached: {ProviderFailures.Describe(exception, Options.ProbeTimeout)}."), new JsonObject());
        }
    }

    protected abstract Task<TaskOutcome> CheckAsync(ProviderAccess provider, CancellationToken cancellationToken);

    /// <summary>
    /// GETs <c>{base_url}/{path}</c> within <see cref="OnboardingOptions.ProbeTimeout"/> (the body
    /// included) and reads a successful answer's body up to <paramref name="maxBytes"/>, streaming: a
    /// longer (or longer declared) body is refused without reading the rest.
    /// </summary>
    protected async Task<ProviderAnswer> GetAsync(ProviderAccess provider, string path, int maxBytes, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(HttpClientName);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.ProbeTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{provider.Connection.BaseUrl}/{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{provider.Connection.ClientId}:{provider.ClientSecret}")));
        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            // Only the start of an error answer is kept, to be quoted (redacted) in the evidence message.
            var start = await ReadAtMostAsync(response, ProviderAnswer.ErrorTextBytes, timeout.Token);
            return new ProviderAnswer(status, start, Stopwatch.GetElapsedTime(started));
        }

        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(path, status, maxBytes);
        }

        var body = await ReadAtMostAsync(response, maxBytes + 1, timeout.Token);
        return body.Length > maxBytes
            ? throw TooLarge(path, status, maxBytes)
            : new ProviderAnswer(status, body, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Reads a body as a stream, stopping at <paramref name="count"/> bytes whatever the provider sends after.</summary>
    private static async Task<byte[]> ReadAtMostAsync(HttpResponseMessage response, int count, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[count];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }

    protected static TaskOutcome Outcome(EvidenceStatus status, string? reasonCode, string message, JsonObject payload) =>
        new(status, reasonCode, message, payload.ToJsonString());

    private static ProviderAnswerException TooLarge(string path, int status, int maxBytes) =>
        new("provider_response_too_large", $"The provider's /{path} answer is longer than {maxBytes} bytes.",
            new JsonObject { ["http_status"] = status, ["limit_bytes"] = maxBytes });
}

/// <summary>A provider's answer: its status, its body (read within the bound) and how long it took.</summary>
public sealed record ProviderAnswer(int Status, byte[] Body, TimeSpan Elapsed)
{
    /// <summary>
    /// How much of an error answer is read: past the evidence message's bound by a whole secret, so a
    /// secret that starts within the kept part ends within what is read and redaction finds all of it.
    /// </summary>
    public const int ErrorTextCharacters = TaskOutcome.MaxMessageLength + ProviderConnection.MaxSecretLength;

    /// <summary>UTF-8 spends at most four bytes on a character.</summary>
    public const int ErrorTextBytes = 4 * ErrorTextCharacters;

    public bool IsSuccess => Status is >= 200 and <= 299;

    /// <summary>
    /// The start of an error answer quoted after a colon, or a full stop when it had no body: for the evidence
    /// message (cut to its bound after redaction).
    /// </summary>
    public string Quoted
    {
        get
        {
            var text = Encoding.UTF8.GetString(Body);
            return text.Length == 0 ? "." : $": {(text.Length > ErrorTextCharacters ? text[..ErrorTextCharacters] : text)}";
        }
    }
}

/// <summary>A provider answer the check cannot use (too large, or not of the documented shape): the run fails with this reason.</summary>
public sealed class ProviderAnswerException(string reasonCode, string message, JsonObject payload) : Exception(message)
{
    public string ReasonCode { get; } = reasonCode;
    public JsonObject Payload { get; } = payload;

    public static ProviderAnswerException Invalid(string path, int status, string why) =>
        new("provider_response_invalid", $"The provider's /{path} answer is not usable: {why}", new JsonObject { ["http_status"] = status });
}

/// <summary><c>onboarding.connection.verify</c>: GET {base_url}/health — fast 2xx ok, slow 2xx warn, anything else fail.</summary>
public sealed class ConnectionVerifyTask(IHttpClientFactory clients, IOptions<OnboardingOptions> options) : ProviderTask(clients, options)
{
    public override string Key => "onboarding.connection.verify";

    protected override async Task<TaskOutcome> CheckAsync(ProviderAccess provider, CancellationToken cancellationToken)
    {
        var answer = await GetAsync(provider, "health", Options.MaxHealthResponseBytes, cancellationToken);
        var payload = new JsonObject { ["http_status"] = answer.Status, ["elapsed_ms"] = (int)answer.Elapsed.TotalMilliseconds };
        if (!answer.IsSuccess)
        {
            return Outcome(EvidenceStatus.Fail, "provider_error", $"The provider's health check answered {answer.Status}{answer.Quoted}", payload);
        }

        return answer.Elapsed > Options.SlowAfter
            ? Outcome(EvidenceStatus.Warn, "provider_slow", $"The provider answered in {(int)answer.Elapsed.TotalMilliseconds} ms.", payload)
            : Outcome(EvidenceStatus.Ok, null, "The provider is reachable.", payload);
    }
}

/// <summary>
/// <c>onboarding.permissions.verify</c>: GET {base_url}/permissions (<c>{"granted": [...]}</c>) compared with the
/// required and optional lists — all present ok, an optional one missing warn, a required one missing fail.
/// </summary>
public sealed class PermissionsVerifyTask(IHttpClientFactory clients, IOptions<OnboardingOptions> options) : ProviderTask(clients, options)
{
    private const string Path = "permissions";

    public override string Key => "onboarding.permissions.verify";

    protected override async Task<TaskOutcome> CheckAsync(ProviderAccess provider, CancellationToken cancellationToken)
    {
        var answer = await GetAsync(provider, Path, Options.MaxPermissionsResponseBytes, cancellationToken);
        if (!answer.IsSuccess)
        {
            return Outcome(EvidenceStatus.Fail, "provider_error", $"The provider's permission list answered {answer.Status}{answer.Quoted}",
                new JsonObject { ["http_status"] = answer.Status });
        }

        var granted = Granted(answer);
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

    /// <summary>The granted permissions of an answer that must be exactly <c>{"granted": ["…", …]}</c> (other properties ignored).</summary>
    private static HashSet<string> Granted(ProviderAnswer answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("granted", out var granted)
                || granted.ValueKind != JsonValueKind.Array)
            {
                throw ProviderAnswerException.Invalid(Path, answer.Status, "it must be a JSON object with a \"granted\" array.");
            }

            var permissions = new HashSet<string>(StringComparer.Ordinal);
            foreach (var permission in granted.EnumerateArray())
            {
                permissions.Add(permission.ValueKind == JsonValueKind.String
                    ? permission.GetString()!
                    : throw ProviderAnswerException.Invalid(Path, answer.Status, "\"granted\" must hold only strings."));
            }

            return permissions;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Not JSON, or strings that are not valid UTF-8 or hold lone surrogates.
            throw ProviderAnswerException.Invalid(Path, answer.Status, "it is not valid JSON text.");
        }
    }
}
