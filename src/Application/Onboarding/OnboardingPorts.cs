using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding;

/// <summary>A check the worker runs against a tenant's provider. A new task is one class plus one catalog entry.</summary>
public interface IOnboardingTask
{
    /// <summary>The stable key clients start it by, e.g. <c>onboarding.connection.verify</c>.</summary>
    string Key { get; }

    Task<TaskOutcome> RunAsync(ProviderAccess provider, CancellationToken cancellationToken);
}

/// <summary>A provider connection with its secret unsealed, for the length of one run.</summary>
public sealed record ProviderAccess(ProviderConnection Connection, string ClientSecret)
{
    /// <summary>Replaces every occurrence of the secret in a text that may leave the service.</summary>
    public string Redact(string text) =>
        string.IsNullOrEmpty(ClientSecret) ? text : text.Replace(ClientSecret, "[redacted]", StringComparison.Ordinal);
}

public interface IOnboardingTaskCatalog
{
    /// <summary>The most tasks a catalog holds, so the task summary list is bounded.</summary>
    public const int MaxTasks = 16;

    IReadOnlyList<string> Keys { get; }

    /// <summary>The task with this key; null for an unknown (or missing) key.</summary>
    IOnboardingTask? Find(string? key);
}

/// <summary>Refuses provider addresses the service must never call (private, link-local, and loopback unless allowed).</summary>
public interface IProviderAddressPolicy
{
    Task EnsureAllowedAsync(Uri baseUrl, CancellationToken cancellationToken);
}

/// <summary>Who may work on a tenant: users with a usable key that grants it.</summary>
public interface ITenantDirectory
{
    Task<bool> HasTenantGrantAsync(long userId, int tenantId, CancellationToken cancellationToken);
}

/// <summary><c>Sessions:Onboarding</c>.</summary>
public sealed class OnboardingOptions
{
    public TimeSpan LockFor { get; set; } = TimeSpan.FromMinutes(10);
    public bool AllowLoopbackProviders { get; set; }
    public TimeSpan WorkerPollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);
    public int MaxAttempts { get; set; } = 3;
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A health check slower than this is a warning.</summary>
    public TimeSpan SlowAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most of a provider's <c>/health</c> answer that is read; a longer answer fails the check
    /// with <c>provider_response_too_large</c>, so a hostile provider cannot fill the service's memory.
    /// </summary>
    public int MaxHealthResponseBytes { get; set; } = 4 * 1024;

    /// <summary>The most of a provider's <c>/permissions</c> answer that is read (same rule).</summary>
    public int MaxPermissionsResponseBytes { get; set; } = 64 * 1024;

    public List<string> RequiredPermissions { get; set; } = ["directory.read", "users.read"];
    public List<string> OptionalPermissions { get; set; } = ["audit.read"];

    /// <summary>Runs the worker inside the host (tests of the API alone may switch it off).</summary>
    public bool RunWorker { get; set; } = true;
}
