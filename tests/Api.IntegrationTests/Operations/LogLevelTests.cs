using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Operations;

/// <summary>
/// The configured level is the level: the rules that keep secrets out of logs only ever raise a
/// category's level, so at Warning (the production default) answered requests write no line at all.
/// </summary>
public sealed class LogLevelTests
{
    [Theory, ClassData(typeof(Databases))]
    public async Task AtWarning_AnsweredRequests_WriteNoLogLine(string database)
    {
        await using var store = await TestDatabase.CreateAsync(database);
        var key = await ServiceProcess.CreateKeyAsync(store, "quiet");
        await using var service = await ServiceProcess.StartAsync(store);
        using var client = service.CreateClient(key);
        var before = service.Output.Count;

        (await client.PostAsync("/api/v1/session", Json("""{"data":{"a":1}}"""))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.GetAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/api/v1/wizards")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync($"/api/v1/session/{Guid.NewGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await Task.Delay(500); // the console logger writes on its own thread

        service.Output.Skip(before).Should().BeEmpty("nothing at Warning or above happened");
    }
}
