using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>API keys are kept only as hashes: the database holds the SHA-256 of a key, and no log line (at any level) holds a key.</summary>
public sealed class StoredSecretsTests
{
    [Theory, ClassData(typeof(Databases))]
    public async Task ApiKeys_AreStoredAsTheirSha256_AndNeverLogged(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" });
        var user = await host.CreateUserAsync();
        (await user.Client.GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.OK);
        var forged = user.Token[..^6] + "AAAAAA";
        (await host.CreateClient(forged).GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var connection = scope.ServiceProvider.GetRequiredService<SessionsDbContext>().Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT secret_hash FROM api_keys WHERE prefix = '{user.KeyPrefix}'";
            var stored = (byte[])(await command.ExecuteScalarAsync())!;
            stored.Should().Equal(SHA256.HashData(Encoding.UTF8.GetBytes(user.Token)), "a key is stored as the SHA-256 of its text");
        }

        const int secretStart = 17; // ses_<12-character prefix>_<secret>
        var secret = user.Token[secretStart..];
        var forgedSecret = forged[secretStart..];
        var everything = await StoredText.AllAsync(host);
        everything.Should().Contain(user.KeyPrefix, "the public prefix finds the key");
        everything.Should().NotContain(secret).And.NotContain(forgedSecret);

        host.Logs.Should().Contain(line => line.StartsWith("Trace ", StringComparison.Ordinal) || line.StartsWith("Debug ", StringComparison.Ordinal),
            "the logs were captured at every level");
        host.Logs.Should().OnlyContain(line => !line.Contains(secret) && !line.Contains(forgedSecret));
    }
}
