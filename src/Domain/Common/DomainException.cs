namespace Sessions.Domain.Common;

/// <summary>A refused domain operation. <see cref="Code"/> is stable and safe to show to clients.</summary>
public abstract class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The aggregate is not in a state that allows the operation (HTTP 409).</summary>
public sealed class InvalidTransitionException(string code, string message) : DomainException(code, message);

/// <summary>A value breaks a business rule; <see cref="Field"/> names it as the client sent it (HTTP 400).</summary>
public sealed class RuleViolationException(string field, string code, string message) : DomainException(code, message)
{
    public string Field { get; } = field;
}
