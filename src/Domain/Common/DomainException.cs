namespace Sessions.Domain.Common;

/// <summary>A refused domain operation. <see cref="Code"/> is stable and safe to show to clients.</summary>
public abstract class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The aggregate is not in a state that allows the operation (HTTP 409).</summary>
public sealed class InvalidTransitionException(string code, string message) : DomainException(code, message);

/// <summary>One broken business rule: <see cref="Field"/> names the value as the client sent it.</summary>
public sealed record RuleViolation(string Field, string Code, string Message);

/// <summary>
/// Values break business rules (HTTP 400). An operation that checks several values reports every one
/// that is wrong; <see cref="DomainException.Code"/> and <see cref="Field"/> are the first's.
/// </summary>
public sealed class RuleViolationException : DomainException
{
    public RuleViolationException(string field, string code, string message)
        : this([new RuleViolation(field, code, message)])
    {
    }

    public RuleViolationException(IReadOnlyList<RuleViolation> violations)
        : base(violations[0].Code, violations[0].Message) =>
        Violations = violations;

    public IReadOnlyList<RuleViolation> Violations { get; }

    public string Field => Violations[0].Field;
}
