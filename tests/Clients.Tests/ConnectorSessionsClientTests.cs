using System.Text.Json;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Client;

namespace Sessions.Clients.Tests;

/// <summary>The generated C# client against a real server: the flows a consumer writes, and the typed errors they catch.</summary>
[Collection(ClientCollection.Name)]
public sealed class ConnectorSessionsClientTests(KestrelHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task CreateReadUpdateDelete_RoundTripsThroughTheTypedClient(string database)
    {
        var client = new ConnectorSessionsClient(await hosts.ClientForNewUserAsync(database));
        var data = JsonSerializer.Deserialize<IDictionary<string, object>>("""{"discoveryInput":{"applicationName":"My API"}}""")!;

        var created = await client.CreateConnectorSessionAsync(idempotencyKey: null, body: new ConnectorSessionDataRequest { Data = data });
        created.Message.Should().Be("Session created successfully");

        var fetched = await client.GetConnectorSessionAsync(created.SessionId);
        fetched.SessionId.Should().Be(created.SessionId);
        JsonSerializer.Serialize(fetched.Data).Should().Contain("My API");

        var updated = await client.UpdateConnectorSessionAsync(created.SessionId,
            new ConnectorSessionDataRequest { Data = new Dictionary<string, object> { ["documentationItems"] = Array.Empty<object>() } },
            ifMatch: "\"1\"");
        updated.Message.Should().Be("Session updated successfully");

        var list = await client.ListConnectorSessionsAsync(limit: 10, offset: 0);
        list.Total.Should().Be(1);
        list.Sessions.Should().ContainSingle().Which.SessionId.Should().Be(created.SessionId);

        (await client.DeleteConnectorSessionAsync(created.SessionId, ifMatch: null)).Message.Should().Be("Session deleted successfully");
        var gone = async () => await client.GetConnectorSessionAsync(created.SessionId);
        (await gone.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which.Result.Detail
            .Should().Be($"Session {created.SessionId} not found");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task StaleIfMatch_SurfacesAsTyped412(string database)
    {
        var client = new ConnectorSessionsClient(await hosts.ClientForNewUserAsync(database));
        var created = await client.CreateConnectorSessionAsync(null, null);
        await client.ReplaceConnectorSessionAsync(created.SessionId, new ConnectorSessionDataRequest { Data = new Dictionary<string, object>() });

        var stale = async () => await client.ReplaceConnectorSessionAsync(created.SessionId,
            new ConnectorSessionDataRequest { Data = new Dictionary<string, object>() }, ifMatch: "\"1\"");

        var problem = (await stale.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which;
        problem.StatusCode.Should().Be(412);
        problem.Result.Status.Should().Be(412);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task CreatingAnExistingId_SurfacesAsTyped409(string database)
    {
        var client = new ConnectorSessionsClient(await hosts.ClientForNewUserAsync(database));
        var id = Guid.NewGuid();
        await client.CreateConnectorSessionWithIdAsync(id, null, null);

        var again = async () => await client.CreateConnectorSessionWithIdAsync(id, null, null);

        var problem = (await again.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which;
        problem.StatusCode.Should().Be(409);
        problem.Result.AdditionalProperties["code"].ToString().Should().Be("session_exists");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task IdempotencyKey_ReplaysTheSameSession(string database)
    {
        var client = new ConnectorSessionsClient(await hosts.ClientForNewUserAsync(database));
        var key = Guid.NewGuid().ToString();

        var first = await client.CreateConnectorSessionAsync(null, key);
        var replay = await client.CreateConnectorSessionAsync(null, key);

        replay.SessionId.Should().Be(first.SessionId);
        (await client.ListConnectorSessionsAsync(null, null)).Total.Should().Be(1);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Exists_AnswersWithoutABody(string database)
    {
        var client = new ConnectorSessionsClient(await hosts.ClientForNewUserAsync(database));
        var created = await client.CreateConnectorSessionAsync(null, null);

        await client.ConnectorSessionExistsAsync(created.SessionId);
        var missing = async () => await client.ConnectorSessionExistsAsync(Guid.NewGuid());

        (await missing.Should().ThrowAsync<ApiException>()).Which.StatusCode.Should().Be(404);
    }
}
