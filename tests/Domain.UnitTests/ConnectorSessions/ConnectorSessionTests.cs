using System.Text.Json.Nodes;
using Sessions.Domain.Common;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Domain.UnitTests.ConnectorSessions;

public sealed class ConnectorSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Create_StartsAtVersionOneWithBothTimestampsNow()
    {
        var session = ConnectorSession.Create(Guid.NewGuid(), 7, new JsonObject { ["a"] = 1 }, Now);

        session.Version.Should().Be(1);
        session.CreatedAt.Should().Be(Now);
        session.UpdatedAt.Should().Be(Now);
        session.OwnerUserId.Should().Be(7);
        JsonNode.DeepEquals(session.ReadData(), new JsonObject { ["a"] = 1 }).Should().BeTrue();
    }

    [Fact]
    public void Create_WithTheEmptyUuid_IsRefused()
    {
        var create = () => ConnectorSession.Create(Guid.Empty, 7, [], Now);

        create.Should().Throw<RuleViolationException>().Which.Field.Should().Be("sessionId");
    }

    [Fact]
    public void Merge_ReplacesTopLevelKeysWhole_AndKeepsTheOthers()
    {
        var session = ConnectorSession.Create(Guid.NewGuid(), 7,
            (JsonObject)JsonNode.Parse("""{"keep":1,"nested":{"a":1,"b":2}}""")!, Now);

        session.Merge((JsonObject)JsonNode.Parse("""{"nested":{"a":9},"new":[1]}""")!, Now.AddMinutes(1));

        JsonNode.DeepEquals(session.ReadData(), JsonNode.Parse("""{"keep":1,"nested":{"a":9},"new":[1]}""")).Should().BeTrue();
        session.Version.Should().Be(2);
        session.UpdatedAt.Should().Be(Now.AddMinutes(1));
        session.CreatedAt.Should().Be(Now);
    }

    [Fact]
    public void Replace_DropsKeysNotGiven()
    {
        var session = ConnectorSession.Create(Guid.NewGuid(), 7, new JsonObject { ["old"] = true }, Now);

        session.Replace(new JsonObject { ["new"] = true }, Now.AddMinutes(1));

        JsonNode.DeepEquals(session.ReadData(), new JsonObject { ["new"] = true }).Should().BeTrue();
        session.Version.Should().Be(2);
    }

    [Fact]
    public void Data_KeepsNumbersAsWritten()
    {
        var data = (JsonObject)JsonNode.Parse("""{"big":123456789012345678901234567890,"precise":1.10}""")!;

        var session = ConnectorSession.Create(Guid.NewGuid(), 7, data, Now);

        session.Data.Should().Be("""{"big":123456789012345678901234567890,"precise":1.10}""");
    }

    [Fact]
    public void Data_WithANulCharacter_IsRefusedAndNothingChanges()
    {
        var session = ConnectorSession.Create(Guid.NewGuid(), 7, new JsonObject { ["a"] = 1 }, Now);

        var merge = () => session.Merge(new JsonObject { ["bad"] = "x\u0000y" }, Now.AddMinutes(1));

        merge.Should().Throw<RuleViolationException>().Which.Field.Should().Be("data");
        session.Version.Should().Be(1);
        JsonNode.DeepEquals(session.ReadData(), new JsonObject { ["a"] = 1 }).Should().BeTrue();
    }

    [Theory]
    [InlineData("""{"a":"x\u0000y"}""")]
    [InlineData("""{"a\u0000":1}""")]
    [InlineData("""{"a":[{"b":["\u0000"]}]}""")]
    public void NulCharacters_AnywhereInData_AreRefused(string data)
    {
        var create = () => ConnectorSession.Create(Guid.NewGuid(), 1, JsonNode.Parse(data)!.AsObject(), DateTimeOffset.UnixEpoch);

        create.Should().Throw<RuleViolationException>().Which.Code.Should().Be("nul_character");
    }

    [Fact]
    public void AnEscapedBackslashBeforeU0000_IsText_NotANulCharacter()
    {
        var session = ConnectorSession.Create(Guid.NewGuid(), 1, JsonNode.Parse("""{"a":"\\u0000"}""")!.AsObject(), DateTimeOffset.UnixEpoch);

        session.ReadData()["a"]!.GetValue<string>().Should().Be("\\u0000");
    }
}
