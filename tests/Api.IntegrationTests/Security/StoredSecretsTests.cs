using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>API keys are kept only as hashes: neither the database nor any log line holds a key.</summary>
[Collection(ApiCollection.Name)]
public sealed class StoredSecretsTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task ApiKeys_AreNeitherStoredNorLoggedInClear(string database)
    {
        var host = await hosts.For(database);
        var user = await host.CreateUserAsync();
        (await user.Client.GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.OK);
        var forged = user.Token[..^6] + "AAAAAA";
        (await host.CreateClient(forged).GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        const int secretStart = 17; // ses_<12-character prefix>_<secret>
        var secret = user.Token[secretStart..];
        var stored = await StoredText.AllAsync(host);

        stored.Should().Contain(user.KeyPrefix, "the public prefix finds the key");
        stored.Should().NotContain(secret).And.NotContain(forged[secretStart..]);
        host.Logs.Should().OnlyContain(line => !line.Contains(secret) && !line.Contains(forged));
    }
}
