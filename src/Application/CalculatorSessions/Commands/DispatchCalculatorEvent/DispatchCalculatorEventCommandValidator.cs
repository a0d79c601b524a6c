using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using ValidationException = Sessions.Application.Common.Exceptions.ValidationException;
using Sessions.Application.CalculatorSessions.Queries;
using Sessions.Application.Common.Messaging;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Commands;

/// <summary>PUT /{session_id}: one command for every event the session accepts.</summary>
public sealed record DispatchCalculatorEventCommand(string SessionId, string? Event, JsonObject? Payload, long? ExpectedVersion)
    : ICommand<CalculatorSessionDto>;

public sealed class DispatchCalculatorEventCommandValidator : AbstractValidator<DispatchCalculatorEventCommand>
{
    public DispatchCalculatorEventCommandValidator() =>
        RuleFor(c => c.Event)
            .NotEmpty()
            .Must(e => Enum.TryParse<CalculatorEvent>(e, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(e![0]))
            .WithMessage($"'event' must be one of {string.Join(", ", Enum.GetNames<CalculatorEvent>())}.");
}
