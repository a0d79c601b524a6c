using Sessions.Domain.Common;

namespace Sessions.Domain.CalculatorSessions;

/// <summary>What a mentor enters: how many sessions, how long each, and what they cost.</summary>
public sealed record CalculationInputs
{
    public const decimal MaxMinutesPerSession = 1440m;
    public const decimal MaxCost = 1_000_000_000m;

    private CalculationInputs(int sessions, decimal avgMinutes, decimal costPerSession, decimal costPerHour)
    {
        Sessions = sessions;
        AvgMinutes = avgMinutes;
        CostPerSession = costPerSession;
        CostPerHour = costPerHour;
    }

    public int Sessions { get; }
    public decimal AvgMinutes { get; }
    public decimal CostPerSession { get; }
    public decimal CostPerHour { get; }

    /// <summary>The inputs, or every rule they break at once.</summary>
    public static CalculationInputs Create(int sessions, decimal avgMinutes, decimal costPerSession, decimal costPerHour)
    {
        var violations = Check(sessions, avgMinutes, costPerSession, costPerHour);
        return violations.Count > 0
            ? throw new RuleViolationException(violations)
            : new CalculationInputs(sessions, avgMinutes, costPerSession, costPerHour);
    }

    /// <summary>
    /// The rules each input breaks. An input that is null was not given as a number and is not checked,
    /// so a caller that found some inputs unreadable still learns what is wrong with the others.
    /// </summary>
    public static IReadOnlyList<RuleViolation> Check(decimal? sessions, decimal? avgMinutes, decimal? costPerSession, decimal? costPerHour)
    {
        var violations = new List<RuleViolation>();
        if (sessions is { } count && (count < 1 || count != decimal.Truncate(count) || count > int.MaxValue))
        {
            violations.Add(new RuleViolation("payload.sessions", "invalid_sessions", "'sessions' must be a whole number of at least 1."));
        }

        if (avgMinutes is { } minutes && (minutes <= 0 || minutes > MaxMinutesPerSession))
        {
            violations.Add(new RuleViolation("payload.avg_minutes", "invalid_avg_minutes", "'avg_minutes' must be more than 0 and at most 1440."));
        }

        if (costPerSession is { } perSession && (perSession < 0 || perSession > MaxCost))
        {
            violations.Add(new RuleViolation("payload.cost_per_session", "invalid_cost", "'cost_per_session' must be between 0 and 1000000000."));
        }

        if (costPerHour is { } perHour && (perHour < 0 || perHour > MaxCost))
        {
            violations.Add(new RuleViolation("payload.cost_per_hour", "invalid_cost", "'cost_per_hour' must be between 0 and 1000000000."));
        }

        return violations;
    }
}

/// <summary>What the calculator answers. Money and derived figures carry two decimals.</summary>
public sealed record CalculationOutputs(
    decimal TotalMinutes,
    decimal TotalHours,
    decimal TimeValue,
    decimal ProgrammeCost,
    decimal NetBenefit,
    decimal? RoiPercent);

/// <summary>The benefit formula, written once.</summary>
public static class BenefitFormula
{
    /// <remarks>
    /// Every figure is computed in decimal from the inputs and rounded to two places, halves away
    /// from zero. Net benefit is the difference of the rounded time value and cost, and ROI is taken
    /// from the rounded net benefit and cost, so the published figures agree with each other exactly.
    /// </remarks>
    public static CalculationOutputs Calculate(CalculationInputs inputs)
    {
        var totalMinutes = inputs.Sessions * inputs.AvgMinutes;
        var totalHours = Money(totalMinutes / 60m);
        var timeValue = Money(totalMinutes * inputs.CostPerHour / 60m);
        var programmeCost = Money(inputs.Sessions * inputs.CostPerSession);
        var netBenefit = timeValue - programmeCost;
        decimal? roiPercent = programmeCost == 0 ? null : Money(netBenefit / programmeCost * 100m);
        return new CalculationOutputs(totalMinutes, totalHours, timeValue, programmeCost, netBenefit, roiPercent);
    }

    /// <summary>Two decimals, halves away from zero, always written with both places (375.00).</summary>
    public static decimal Money(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
