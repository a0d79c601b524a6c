using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Sessions.Application.Common.Security;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.Security;

/// <summary>
/// AES-256-GCM with the key in <c>Sessions:Secrets:Key</c> (32 bytes, base64). Sealed text is
/// <c>v1:</c> + base64(nonce | tag | ciphertext): a fresh nonce per secret, and the tag makes any
/// change to the stored text fail to unseal rather than yield another secret.
/// On SQLite without a configured key, one is made once and kept in <c>secrets.key</c> beside the
/// database file (readable by its owner only); PostgreSQL deployments, possibly several instances,
/// must configure the same key everywhere.
/// </summary>
public sealed class AesGcmSecretSealer : ISecretSealer
{
    public const string ConfigurationKey = "Sessions:Secrets:Key";
    private const string Version = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("sessions/provider-client-secret");

    private readonly byte[] _key;

    public AesGcmSecretSealer(IConfiguration configuration, DatabaseOptions database)
    {
        var configured = configuration[ConfigurationKey];
        _key = configured is not null ? Decode(configured, ConfigurationKey) : KeyBesideTheDatabase(database);
    }

    public string Seal(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Purpose);
        return Version + Convert.ToBase64String(sealedBytes);
    }

    public string Unseal(string sealedSecret)
    {
        if (!sealedSecret.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("The secret is not sealed in a known format.");
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(sealedSecret[Version.Length..]);
        }
        catch (FormatException exception)
        {
            throw new CryptographicException("The sealed secret is not valid base64.", exception);
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed secret is too short.");
        }

        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain, Purpose);
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Decode(string text, string source)
    {
        try
        {
            var key = Convert.FromBase64String(text);
            if (key.Length == 32)
            {
                return key;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidOperationException($"{source} must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`).");
    }

    private static byte[] KeyBesideTheDatabase(DatabaseOptions database)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException(
                $"{ConfigurationKey} is required with the {database.Provider} provider: every instance must seal and unseal secrets with the same key.");
        }

        var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || file.StartsWith("file:", StringComparison.Ordinal))
        {
            return RandomNumberGenerator.GetBytes(32); // an in-memory database lives no longer than this process
        }

        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "secrets.key");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using var stream = new FileStream(path, options);
                stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }

        return Decode(File.ReadAllText(path).Trim(), path);
    }
}
