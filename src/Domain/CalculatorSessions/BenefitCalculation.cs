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

    public static CalculationInputs Create(int sessions, decimal avgMinutes, decimal costPerSession, decimal costPerHour)
    {
        if (sessions < 1)
        {
            throw new RuleViolationException("payload.sessions", "invalid_sessions", "'sessions' must be a whole number of at least 1.");
        }

        if (avgMinutes <= 0 || avgMinutes > MaxMinutesPerSession)
        {
            throw new RuleViolationException("payload.avg_minutes", "invalid_avg_minutes", "'avg_minutes' must be more than 0 and at most 1440.");
        }

        if (costPerSession < 0 || costPerSession > MaxCost)
        {
            throw new RuleViolationException("payload.cost_per_session", "invalid_cost", "'cost_per_session' must be between 0 and 1000000000.");
        }

        if (costPerHour < 0 || costPerHour > MaxCost)
        {
            throw new RuleViolationException("payload.cost_per_hour", "invalid_cost", "'cost_per_hour' must be between 0 and 1000000000.");
        }

        return new CalculationInputs(sessions, avgMinutes, costPerSession, costPerHour);
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
