using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Sessions.Infrastructure.Persistence;
using Sessions.Infrastructure.Security;

namespace Sessions.Api.IntegrationTests.Security;

public sealed class SecretSealerTests
{
    private static AesGcmSecretSealer Sealer(string? key, DatabaseOptions? database = null) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AesGcmSecretSealer.ConfigurationKey] = key }).Build(),
        database ?? new DatabaseOptions(DatabaseProvider.Postgres, "Host=unused", MigrateOnStartup: false));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Sealing_RoundTrips_WithAFreshNonceEachTime()
    {
        var sealer = Sealer(NewKey());

        var once = sealer.Seal("s3cr3t-é-✓");
        var twice = sealer.Seal("s3cr3t-é-✓");

        once.Should().StartWith("v1:").And.NotContain("s3cr3t").And.NotBe(twice);
        sealer.Unseal(once).Should().Be("s3cr3t-é-✓");
        sealer.Unseal(twice).Should().Be("s3cr3t-é-✓");
    }

    [Fact]
    public void AlteredText_OrAnotherKey_OrClearText_DoesNotUnseal()
    {
        var sealer = Sealer(NewKey());
        var sealedSecret = sealer.Seal("s3cr3t");
        var bytes = Convert.FromBase64String(sealedSecret[3..]);
        bytes[^1] ^= 1;

        FluentActions.Invoking(() => sealer.Unseal("v1:" + Convert.ToBase64String(bytes))).Should().Throw<CryptographicException>();
        FluentActions.Invoking(() => Sealer(NewKey()).Unseal(sealedSecret)).Should().Throw<CryptographicException>();
        FluentActions.Invoking(() => sealer.Unseal("s3cr3t")).Should().Throw<CryptographicException>();
        FluentActions.Invoking(() => sealer.Unseal("v1:***")).Should().Throw<CryptographicException>();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void PostgreSQL_NeedsAConfiguredKeyOf32Bytes(string? key) =>
        FluentActions.Invoking(() => Sealer(key)).Should().Throw<InvalidOperationException>().WithMessage("*Sessions:Secrets:Key*");

    [Fact]
    public void OnSqliteWithoutAKey_OneIsMadeBesideTheDatabase_OwnerOnly_AndKept()
    {
        var folder = Directory.CreateTempSubdirectory("sessions-sealer-");
        try
        {
            var database = new DatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder.FullName, "s.db")}", false);
            var sealedSecret = Sealer(null, database).Seal("s3cr3t");

            var file = Path.Combine(folder.FullName, "secrets.key");
            File.Exists(file).Should().BeTrue();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            Sealer(null, database).Unseal(sealedSecret).Should().Be("s3cr3t", "a restarted service reads the same key");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
