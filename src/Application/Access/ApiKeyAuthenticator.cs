using Sessions.Domain.Access;

namespace Sessions.Application.Access;

/// <summary>A key that was presented, found, matched and is still usable.</summary>
public sealed record AuthenticatedKey(string Prefix, long UserId, string Handle, AccessGrants Grants);

/// <summary>Reads keys for authentication without tracking them.</summary>
public interface IApiKeyReader
{
    Task<(ApiKey Key, string Handle)?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken);
}

public sealed class ApiKeyAuthenticator(IApiKeyReader reader, TimeProvider clock)
{
    public async Task<AuthenticatedKey?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.TryReadPrefix(token, out var prefix))
        {
            return null;
        }

        var found = await reader.FindByPrefixAsync(prefix, cancellationToken);
        if (found is not var (key, handle) || !key.Accepts(ApiKeySecret.Hash(token), clock.GetUtcNow()))
        {
            return null;
        }

        return new AuthenticatedKey(key.Prefix, key.UserId, handle, key.Grants);
    }
}
