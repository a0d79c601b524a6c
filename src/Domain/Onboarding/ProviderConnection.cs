using Sessions.Domain.Common;

namespace Sessions.Domain.Onboarding;

/// <summary>
/// How the service reaches a tenant's identity provider. The client secret is write-only: it is
/// kept sealed (encrypted by the application), used to call the provider, and never leaves the
/// service in a response, a log line or evidence.
/// </summary>
public sealed class ProviderConnection : AggregateRoot
{
    public const string ClientSecretMode = "client_secret";
    public const int MaxTextLength = 255;
    public const int MaxSecretLength = 1024;

    /// <summary>
    /// A shorter secret is guessable, and redacting it from a provider's texts would cut ordinary
    /// words out of them ("The provider i[redacted] reachable").
    /// </summary>
    public const int MinSecretLength = 16;
    public const int MaxBaseUrlLength = 2048;
    public const int MaxAuthModeLength = 32;

    private ProviderConnection()
    {
        DisplayName = BaseUrl = AuthMode = ClientId = SealedClientSecret = null!;
    }

    public long Id { get; private set; }
    public int TenantId { get; private set; }
    public string DisplayName { get; private set; }
    public string BaseUrl { get; private set; }
    public string AuthMode { get; private set; }
    public string ClientId { get; private set; }
    /// <summary>The client secret as sealed by the application; the clear secret is never stored.</summary>
    public string SealedClientSecret { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static ProviderConnection Register(
        int tenantId, string displayName, Uri baseUrl, string authMode, string clientId, string sealedClientSecret, DateTimeOffset now)
    {
        if (authMode != ClientSecretMode)
        {
            throw new RuleViolationException("auth_mode", "unsupported_auth_mode", $"'auth_mode' must be '{ClientSecretMode}'.");
        }

        var connection = new ProviderConnection
        {
            TenantId = tenantId,
            DisplayName = displayName,
            BaseUrl = baseUrl.ToString().TrimEnd('/'),
            AuthMode = authMode,
            ClientId = clientId,
            SealedClientSecret = sealedClientSecret,
            CreatedAt = now,
        };
        connection.Changed();
        return connection;
    }
}
