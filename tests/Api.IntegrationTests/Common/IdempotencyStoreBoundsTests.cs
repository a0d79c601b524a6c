using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Application.Common.Idempotency;
using Sessions.Infrastructure.Persistence;
using static Sessions.Api.IntegrationTests.Infrastructure.IdempotentRequests;

namespace Sessions.Api.IntegrationTests.Common;

/// <summary>
/// The idempotency store is bounded: a response body over
/// <c>Sessions:Api:Idempotency:MaxStoredResponseBytes</c> is not kept (its key still deduplicates),
/// one user's records stay within <c>MaxStoredBytesPerUser</c>, and expired records are purged
/// every <c>PurgeInterval</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotencyStoreBoundsTests
{
    [Theory, ClassData(typeof(Databases))]
    public async Task AResponseOverTheLimit_IsNotStored_ButItsKeyStillActsOnce(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:Idempotency:MaxStoredResponseBytes"] = "4096",
        });
        var user = await host.CreateUserAsync(projects: [1]);
        var (large, small) = (Push("large", new string('x', 20_000)), Push("small", "short"));
        var (largeKey, smallKey) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        var first = await user.Client.SendAsync(IdempotentPost("/api/projects/1/wizard/sessions", large, largeKey));
        (await first.ShouldBeJsonAsync(HttpStatusCode.Created))["handoff_text"]!.GetValue<string>().Should().HaveLength(20_000);
        var replay = await user.Client.SendAsync(IdempotentPost("/api/projects/1/wizard/sessions", large, largeKey));

        replay.StatusCode.Should().Be(HttpStatusCode.Created);
        replay.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        replay.Headers.Location.Should().Be(first.Headers.Location);
        replay.Headers.ETag.Should().Be(first.Headers.ETag);
        (await replay.Content.ReadAsByteArrayAsync()).Should().BeEmpty("the body was over the limit and not kept");
        (await (await user.Client.GetAsync("/api/projects/1/wizard/sessions")).ShouldBeJsonAsync(HttpStatusCode.OK))["count"]!
            .GetValue<int>().Should().Be(1, "the replay did not push again");

        var smallFirst = await (await user.Client.SendAsync(IdempotentPost("/api/projects/1/wizard/sessions", small, smallKey))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var smallReplay = await user.Client.SendAsync(IdempotentPost("/api/projects/1/wizard/sessions", small, smallKey));
        (await smallReplay.ShouldBeJsonAsync(HttpStatusCode.Created)).ToJsonString().Should().Be(smallFirst.ToJsonString(), "a body within the limit is replayed");

        var stored = await StoredAsync(host, user.UserId);
        stored.Records.Should().Be(2);
        stored.LargestBody.Should().BeLessThanOrEqualTo(4096);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task OneUsersRecords_StayWithinTheBudget_TheOldestGoingFirst(string database)
    {
        const int budget = 100_000;
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:Idempotency:MaxStoredBytesPerUser"] = budget.ToString(),
        });
        var flooder = await host.CreateUserAsync(projects: [1]);
        var bystander = await host.CreateUserAsync(projects: [2]);
        var bystanderKey = Guid.NewGuid().ToString();
        (await bystander.Client.SendAsync(IdempotentPost("/api/projects/2/wizard/sessions", Push("kept", "kept"), bystanderKey))).StatusCode
            .Should().Be(HttpStatusCode.Created);

        var keys = new List<(string Key, string Body)>();
        for (var i = 0; i < 40; i++)
        {
            var (key, body) = (Guid.NewGuid().ToString(), Push($"run-{i}", new string('y', 10_000)));
            keys.Add((key, body));
            (await flooder.Client.SendAsync(IdempotentPost("/api/projects/1/wizard/sessions", body, key))).StatusCode.Should().Be(HttpStatusCode.Created);
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var stored = await StoredAsync(host, flooder.UserId);
        stored.Bytes.Should().BeLessThanOrEqualTo(budget).And.BeGreaterThan(budget / 2);
        stored.Records.Should().BeLessThan(40);
        var newest = await flooder.Client.SendAsync(IdempotentPost("/api/projects/1/wizard/sessions", keys[^1].Body, keys[^1].Key));
        newest.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        var oldest = await flooder.Client.SendAsync(IdempotentPost("/api/projects/1/wizard/sessions", keys[0].Body, keys[0].Key));
        oldest.StatusCode.Should().Be(HttpStatusCode.OK, "the oldest key was forgotten, so its retry pushed the run again (an update)");
        oldest.Headers.Contains("Idempotent-Replayed").Should().BeFalse();
        var untouched = await bystander.Client.SendAsync(IdempotentPost("/api/projects/2/wizard/sessions", Push("kept", "kept"), bystanderKey));
        untouched.Headers.GetValues("Idempotent-Replayed").Should().Equal(["true"], "another user's records do not count against this budget");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ExpiredRecords_ArePurgedOnASchedule(string database)
    {
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Sessions:Api:Idempotency:PurgeInterval"] = "00:00:00.200",
        });
        var user = await host.CreateUserAsync();
        for (var i = 0; i < 3; i++)
        {
            (await user.Client.SendAsync(IdempotentPost("/api/v1/session", """{"data":{}}""", Guid.NewGuid().ToString()))).StatusCode
                .Should().Be(HttpStatusCode.Created);
        }

        var store = host.Services.GetRequiredService<IIdempotencyStore>();
        var abandoned = new IdempotencyOwner(user.UserId, new string('0', 64));
        (await store.ClaimAsync(abandoned, "never-completed", new string('f', 64), CancellationToken.None)).Should().BeOfType<IdempotencyClaim.Claimed>();
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await StoredAsync(host, user.UserId)).Records.Should().Be(4, "nothing has expired yet");

        host.Clock.Advance(TimeSpan.FromMinutes(3));
        await WaitUntilAsync(async () => (await StoredAsync(host, user.UserId)).Records == 3);
        host.Clock.Advance(TimeSpan.FromHours(24));
        var fresh = Guid.NewGuid().ToString();
        (await user.Client.SendAsync(IdempotentPost("/api/v1/session", """{"data":{}}""", fresh))).StatusCode.Should().Be(HttpStatusCode.Created);

        await WaitUntilAsync(async () => (await StoredAsync(host, user.UserId)).Records == 1);
        var replay = await user.Client.SendAsync(IdempotentPost("/api/v1/session", """{"data":{}}""", fresh));
        replay.Headers.GetValues("Idempotent-Replayed").Should().Equal(["true"], "a record within its 24 hours is kept");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(until, "the purge runs every 200 ms");
            await Task.Delay(100);
        }
    }

    private static string Push(string sessionId, string handoff) =>
        $$"""{"session_id":"{{sessionId}}","workflow_id":"wf","skill_id":"s","started_at":"2026-03-26T10:30:00Z","run_phase":"running","tasks":[],"handoff_text":"{{handoff}}"}""";

    /// <summary>What the database holds for the user: records, what they count against the budget, and the largest body.</summary>
    private static async Task<(int Records, long Bytes, long LargestBody)> StoredAsync(ApiHost host, long userId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<SessionsDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT COUNT(*), COALESCE(SUM(stored_bytes), 0), COALESCE(MAX(LENGTH(response_body)), 0),
                   COALESCE(SUM(LENGTH(response_body) + LENGTH(key) + LENGTH(fingerprint) + LENGTH(grants)), 0)
            FROM idempotency_records WHERE user_id = {userId}
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (records, counted, largest, actual) = (Convert.ToInt32(reader.GetValue(0)), Convert.ToInt64(reader.GetValue(1)),
            Convert.ToInt64(reader.GetValue(2)), Convert.ToInt64(reader.GetValue(3)));
        actual.Should().BeLessThanOrEqualTo(counted, "the budget counts at least the bodies, keys and digests the rows hold");
        return (records, counted, largest);
    }
}
