namespace Sessions.Application.Common.Security;

/// <summary>
/// Seals secrets the service must use again later (a provider's client secret), so the store only
/// ever holds them encrypted and authenticated.
/// </summary>
public interface ISecretSealer
{
    string Seal(string secret);

    /// <summary>The secret back; throws when the text was not sealed with this service's key or was altered.</summary>
    string Unseal(string sealedSecret);
}
