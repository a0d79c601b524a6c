using Sessions.Domain.CalculatorSessions;
using Sessions.Domain.Common;

namespace Sessions.Domain.UnitTests.CalculatorSessions;

public sealed class CalculatorSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly CalculationInputs Inputs = CalculationInputs.Create(25, 30m, 3.5m, 30m);

    [Theory]
    [InlineData(CalculatorState.Initial, CalculatorEvent.CalculateRequested, CalculatorState.Loaded)]
    [InlineData(CalculatorState.Loaded, CalculatorEvent.CalculateRequested, CalculatorState.Loaded)]
    [InlineData(CalculatorState.Shared, CalculatorEvent.CalculateRequested, CalculatorState.Loaded)]
    [InlineData(CalculatorState.Loaded, CalculatorEvent.ShareRequested, CalculatorState.Shared)]
    [InlineData(CalculatorState.Shared, CalculatorEvent.ShareRequested, CalculatorState.Shared)]
    [InlineData(CalculatorState.Initial, CalculatorEvent.ResetRequested, CalculatorState.Initial)]
    [InlineData(CalculatorState.Loaded, CalculatorEvent.ResetRequested, CalculatorState.Initial)]
    [InlineData(CalculatorState.Shared, CalculatorEvent.ResetRequested, CalculatorState.Initial)]
    public void AllowedTransitions(CalculatorState from, CalculatorEvent on, CalculatorState to)
    {
        CalculatorTransitions.Next(from, on).Should().Be(to);
    }

    [Fact]
    public void ShareFromInitial_IsRefused_AndChangesNothing()
    {
        var session = Open();

        session.Invoking(s => s.Share(Now)).Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("illegal_transition");

        session.State.Should().Be(CalculatorState.Initial);
        session.LastEvent.Should().BeNull();
        session.Events.Should().BeEmpty();
        session.Version.Should().Be(1);
    }

    [Fact]
    public void Calculate_RecordsAResult_AndLogsTheEvent()
    {
        var session = Open();

        var result = session.Calculate(Inputs, "{}", Now.AddMinutes(15));

        session.State.Should().Be(CalculatorState.Loaded);
        session.ResultId.Should().Be(result.Id).And.MatchRegex("^calc_[0-9a-f]{16}$");
        session.LastEvent.Should().Be(CalculatorEvent.CalculateRequested);
        session.UpdatedAt.Should().Be(Now.AddMinutes(15));
        result.Outputs.NetBenefit.Should().Be(287.50m);
        result.OrganisationId.Should().Be("org_42");
        session.Events.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Sequence = 1, Event = CalculatorEvent.CalculateRequested, StateBefore = CalculatorState.Initial,
            StateAfter = CalculatorState.Loaded, ResultId = result.Id,
        });
    }

    [Fact]
    public void EachCalculation_HasItsOwnResult()
    {
        var session = Open();

        var first = session.Calculate(Inputs, "{}", Now);
        var second = session.Calculate(Inputs, "{}", Now);

        second.Id.Should().NotBe(first.Id);
        session.ResultId.Should().Be(second.Id);
    }

    [Fact]
    public void Share_IsIdempotent_AndANewCalculationUnshares()
    {
        var session = Open();
        session.Calculate(Inputs, "{}", Now);

        session.Share(Now);
        var token = session.ShareToken;
        session.Share(Now);

        session.ShareToken.Should().Be(token).And.StartWith("share_");
        session.State.Should().Be(CalculatorState.Shared);
        session.Calculate(Inputs, "{}", Now);
        session.ShareToken.Should().BeNull();
    }

    [Fact]
    public void Reset_ClearsTheResult_AndTheLogKeepsEveryAcceptedEventInOrder()
    {
        var session = Open();
        session.Calculate(Inputs, "{}", Now);
        session.Share(Now);

        session.Reset(Now);

        session.State.Should().Be(CalculatorState.Initial);
        session.ResultId.Should().BeNull();
        session.Events.Select(e => e.Event).Should().Equal(
            CalculatorEvent.CalculateRequested, CalculatorEvent.ShareRequested, CalculatorEvent.ResetRequested);
        session.Events.Select(e => e.Sequence).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Open_StartsInitial_WithAPrefixedId()
    {
        var session = Open();

        session.Id.Should().MatchRegex("^session_[0-9a-f]{16}$");
        session.State.Should().Be(CalculatorState.Initial);
        session.CreatedAt.Should().Be(Now);
    }

    private static CalculatorSession Open() => CalculatorSession.Open("mentor_001", "org_42", Now);
}
