using Sessions.Domain.Common;

namespace Sessions.Domain.CalculatorSessions;

/// <summary>One calculation, kept as it was: its inputs and outputs never change.</summary>
public sealed class CalculationResult : AggregateRoot
{
    private CalculationResult()
    {
        Id = SessionId = OrganisationId = null!;
        Inputs = null!;
        Outputs = null!;
    }

    public string Id { get; private set; }
    public string SessionId { get; private set; }
    public string OrganisationId { get; private set; }
    public CalculationInputs Inputs { get; private set; }
    public CalculationOutputs Outputs { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    internal static CalculationResult Record(CalculatorSession session, CalculationInputs inputs, DateTimeOffset now)
    {
        var result = new CalculationResult
        {
            Id = CalculatorIds.New("calc_"),
            SessionId = session.Id,
            OrganisationId = session.OrganisationId,
            Inputs = inputs,
            Outputs = BenefitFormula.Calculate(inputs),
            CreatedAt = now,
        };
        result.Changed();
        return result;
    }
}

internal static class CalculatorIds
{
    /// <summary>A share token is the only thing guarding a shared result: 128 random bits, beyond guessing.</summary>
    public const int ShareTokenBytes = 16;

    public static string New(string prefix) =>
        prefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    public static string NewShareToken() =>
        "share_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(ShareTokenBytes));
}
