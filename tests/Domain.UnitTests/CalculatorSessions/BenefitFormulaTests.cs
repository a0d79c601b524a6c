using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sessions.Domain.CalculatorSessions;
using Sessions.Domain.Common;

namespace Sessions.Domain.UnitTests.CalculatorSessions;

public sealed class BenefitFormulaTests
{
    [Fact]
    public void SeedExample_TwentyFiveHalfHourSessions()
    {
        var outputs = BenefitFormula.Calculate(CalculationInputs.Create(25, 30m, 3.5m, 30m));

        outputs.TotalMinutes.Should().Be(750m);
        outputs.TotalHours.Should().Be(12.50m);
        outputs.TimeValue.Should().Be(375.00m);
        outputs.ProgrammeCost.Should().Be(87.50m);
        outputs.NetBenefit.Should().Be(287.50m);
        outputs.RoiPercent.Should().Be(328.57m);
        outputs.TimeValue.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("375.00", "money is written with two places");
    }

    [Fact]
    public void ZeroCost_HasNoReturnOnInvestment()
    {
        var outputs = BenefitFormula.Calculate(CalculationInputs.Create(4, 45m, 0m, 60m));

        outputs.ProgrammeCost.Should().Be(0m);
        outputs.RoiPercent.Should().BeNull();
        outputs.NetBenefit.Should().Be(180.00m);
    }

    [Fact]
    public void LargestAllowedValues_DoNotOverflow()
    {
        var outputs = BenefitFormula.Calculate(CalculationInputs.Create(int.MaxValue, 1440m, CalculationInputs.MaxCost, CalculationInputs.MaxCost));

        outputs.TotalMinutes.Should().Be(int.MaxValue * 1440m);
        outputs.TimeValue.Should().Be(int.MaxValue * 24m * CalculationInputs.MaxCost);
        outputs.NetBenefit.Should().Be(outputs.TimeValue - outputs.ProgrammeCost);
    }

    [Theory]
    [InlineData(0.005, 0.01)]
    [InlineData(0.015, 0.02)]
    [InlineData(-0.005, -0.01)]
    [InlineData(2.675, 2.68)]
    [InlineData(0.0049, 0.00)]
    public void Money_RoundsHalvesAwayFromZero(decimal value, decimal expected)
    {
        BenefitFormula.Money(value).Should().Be(expected);
    }

    [Fact]
    public void RoundingAtHalfACent_InARealCalculation()
    {
        // 1 session of 1 minute at 0.30 an hour: 0.005 of time value, which rounds up to 0.01.
        var outputs = BenefitFormula.Calculate(CalculationInputs.Create(1, 1m, 0m, 0.30m));

        outputs.TimeValue.Should().Be(0.01m);
    }

    [Theory]
    [InlineData(0, 30, 1, 1, "payload.sessions")]
    [InlineData(1, 0, 1, 1, "payload.avg_minutes")]
    [InlineData(1, 1441, 1, 1, "payload.avg_minutes")]
    [InlineData(1, 30, -1, 1, "payload.cost_per_session")]
    [InlineData(1, 30, 1, -0.01, "payload.cost_per_hour")]
    public void InvalidInputs_AreRefusedNamingTheField(int sessions, decimal minutes, decimal perSession, decimal perHour, string field)
    {
        var create = () => CalculationInputs.Create(sessions, minutes, perSession, perHour);

        create.Should().Throw<RuleViolationException>().Which.Field.Should().Be(field);
    }

    [Fact]
    public void EveryInvalidInput_IsNamedAtOnce()
    {
        var create = () => CalculationInputs.Create(0, 1441m, -1m, 1_000_000_001m);

        var refused = create.Should().Throw<RuleViolationException>().Which;
        refused.Violations.Select(violation => violation.Field).Should()
            .Equal("payload.sessions", "payload.avg_minutes", "payload.cost_per_session", "payload.cost_per_hour");
        refused.Code.Should().Be("invalid_sessions", "the code is the first rule's");
    }

    [Fact]
    public void InputsNotGiven_AreNotChecked()
    {
        CalculationInputs.Check(sessions: 2.5m, avgMinutes: null, costPerSession: null, costPerHour: 5m)
            .Select(violation => violation.Field).Should().Equal("payload.sessions");
    }

    [Fact]
    public void AnExactHalfCent_IsRoundedAwayFromZero()
    {
        // 11836 sessions x 927.5 min x 19800.81/h = 3 622 851 901.515 exactly.
        var outputs = BenefitFormula.Calculate(CalculationInputs.Create(11836, 927.5m, 16950.89m, 19800.81m));

        outputs.TimeValue.Should().Be(3622851901.52m);
        outputs.NetBenefit.Should().Be(outputs.TimeValue - outputs.ProgrammeCost);
    }

    [Property(MaxTest = 500)]
    public Property Outputs_AreConsistentWithEachOther()
    {
        var inputs =
            from sessions in Gen.Choose(1, 100_000)
            from minutes in Gen.Choose(1, 144_000).Select(m => m / 100m)
            from perSession in Gen.Choose(0, 10_000_000).Select(c => c / 100m)
            from perHour in Gen.Choose(0, 10_000_000).Select(c => c / 100m)
            select CalculationInputs.Create(sessions, minutes, perSession, perHour);

        return Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            var outputs = BenefitFormula.Calculate(input);
            var consistent =
                outputs.NetBenefit == outputs.TimeValue - outputs.ProgrammeCost
                && Math.Abs(outputs.TotalHours - outputs.TotalMinutes / 60m) <= 0.005m
                && outputs.TotalMinutes == input.Sessions * input.AvgMinutes
                // Multiply before dividing: minutes / 60 is cut at 28 digits, and that error times the
                // hourly cost could push an exact half (…901.515 -> …901.52) past the half-cent bound.
                && Math.Abs(outputs.TimeValue - outputs.TotalMinutes * input.CostPerHour / 60m) <= 0.005m
                && (outputs.ProgrammeCost == 0
                    ? outputs.RoiPercent is null
                    : Math.Abs(outputs.RoiPercent!.Value - outputs.NetBenefit / outputs.ProgrammeCost * 100m) <= 0.005m);
            return consistent.Label($"{input} -> {outputs}");
        });
    }
}
