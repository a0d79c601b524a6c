using System.Security.Cryptography;
using System.Text;
using Sessions.Domain.Common;

namespace Sessions.Domain.Access;

/// <summary>
/// A short-lived credential for one live stream, for callers that cannot send an <c>Authorization</c>
/// header (a browser's <c>EventSource</c>). It acts for the key that asked for it, under that key's grants
/// at the moment it is used, and only on its <see cref="Resource"/>. Only the SHA-256 hash of the ticket is kept.
/// </summary>
public sealed class StreamTicket : AggregateRoot
{
    public const int MaxResourceLength = 200;

    /// <summary>
    /// The text form: <c>sst_</c> and 32 random bytes in base64url (256 bits, safe in a query string).
    /// </summary>
    public const string Marker = "sst_";

    /// <summary>The marker and 43 characters of unpadded base64url.</summary>
    public const int TextLength = 47;

    private const int SecretBytes = 32;

    private StreamTicket()
    {
        Hash = null!;
        KeyPrefix = null!;
        Resource = null!;
    }

    public long Id { get; private set; }
    public byte[] Hash { get; private set; }

    /// <summary>The key the ticket acts for: a ticket of a revoked or expired key opens nothing.</summary>
    public string KeyPrefix { get; private set; }

    /// <summary>What the ticket opens, e.g. one project's run stream.</summary>
    public string Resource { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>A new ticket and its text, which exists only in the answer to the caller that asked for it.</summary>
    public static (StreamTicket Ticket, string Text) Issue(string keyPrefix, string resource, DateTimeOffset now, TimeSpan lifetime)
    {
        if (resource.Length is 0 or > MaxResourceLength)
        {
            throw new ArgumentException($"A ticket's resource is 1 to {MaxResourceLength} characters.", nameof(resource));
        }

        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A ticket must live for some time.");
        }

        var text = Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var ticket = new StreamTicket { KeyPrefix = keyPrefix, Hash = HashOf(text), Resource = resource, ExpiresAt = now + lifetime };
        ticket.Changed();
        return (ticket, text);
    }

    /// <summary>False for anything not shaped like a ticket, so that it is refused without a read.</summary>
    public static bool IsWellFormed(string text) =>
        text.Length == TextLength
        && text.StartsWith(Marker, StringComparison.Ordinal)
        && text.AsSpan(Marker.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    /// <summary>The only form of a ticket that is stored, and what finds it.</summary>
    public static byte[] HashOf(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    /// <summary>True while the ticket lives and when it is presented for what it was issued for.</summary>
    public bool Opens(string resource, DateTimeOffset now) => ExpiresAt > now && string.Equals(resource, Resource, StringComparison.Ordinal);
}
