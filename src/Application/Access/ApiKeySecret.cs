using System.Security.Cryptography;
using System.Text;

namespace Sessions.Application.Access;

/// <summary>
/// The text form of an API key: <c>ses_&lt;prefix&gt;_&lt;secret&gt;</c>. The 12-character prefix is
/// public and finds the stored key; the 32 random secret bytes never leave the response that
/// created them, only their SHA-256 hash is kept.
/// </summary>
public static class ApiKeySecret
{
    public const string Marker = "ses_";
    public const int PrefixLength = 12;
    private const int SecretBytes = 32;
    private const int SecretTextLength = 43; // base64url of 32 bytes, unpadded

    public static (string Prefix, string Token) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (prefix, $"{Marker}{prefix}_{secret}");
    }

    /// <summary>Reads the prefix out of a presented token; false for anything not shaped like a key.</summary>
    public static bool TryReadPrefix(ReadOnlySpan<char> token, out string prefix)
    {
        prefix = string.Empty;
        if (token.Length != Marker.Length + PrefixLength + 1 + SecretTextLength
            || !token.StartsWith(Marker, StringComparison.Ordinal)
            || token[Marker.Length + PrefixLength] != '_')
        {
            return false;
        }

        var candidate = token.Slice(Marker.Length, PrefixLength);
        foreach (var c in candidate)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        prefix = candidate.ToString();
        return true;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
