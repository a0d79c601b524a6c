using System.Text.Json;
using System.Text.Json.Nodes;
using AutoMapper;
using ValidationException = Sessions.Application.Common.Exceptions.ValidationException;
using MediatR;
using Sessions.Application.CalculatorSessions.Queries;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.CalculatorSessions;
using Sessions.Domain.Common;

namespace Sessions.Application.CalculatorSessions.Commands;

public sealed class DispatchCalculatorEventCommandHandler(
    CalculatorAccess access,
    IRepository<CalculationResult> results,
    TimeProvider clock,
    IMapper mapper) : IRequestHandler<DispatchCalculatorEventCommand, CalculatorSessionDto>
{
    public async Task<CalculatorSessionDto> Handle(DispatchCalculatorEventCommand request, CancellationToken cancellationToken)
    {
        var session = await access.LoadForUpdateAsync(request.SessionId, request.ExpectedVersion, cancellationToken);
        var now = clock.GetUtcNow();
        switch (Enum.Parse<CalculatorEvent>(request.Event!))
        {
            case CalculatorEvent.CalculateRequested:
                var inputs = CalculationPayload.Read(request.Payload);
                results.Add(session.Calculate(inputs, CalculationPayload.Write(request.Payload!), now));
                break;
            case CalculatorEvent.ShareRequested:
                session.Share(now);
                break;
            case CalculatorEvent.ResetRequested:
                session.Reset(now);
                break;
        }

        return mapper.Map<CalculatorSessionDto>(session);
    }
}

/// <summary>The CalculateRequested payload on the wire: four JSON numbers, <c>sessions</c> a whole one.</summary>
public static class CalculationPayload
{
    /// <summary>The inputs, or every field that is missing, not a number or against the rules, at once.</summary>
    public static CalculationInputs Read(JsonObject? payload)
    {
        if (payload is null)
        {
            throw ValidationException.For("payload", "CalculateRequested needs a payload with sessions, avg_minutes, cost_per_session and cost_per_hour.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var numbers = Fields.Select(field => Number(payload, field, errors)).ToArray();
        var violations = CalculationInputs.Check(numbers[0], numbers[1], numbers[2], numbers[3]);
        if (errors.Count == 0)
        {
            return violations.Count > 0
                ? throw new RuleViolationException(violations)
                : CalculationInputs.Create((int)numbers[0]!.Value, numbers[1]!.Value, numbers[2]!.Value, numbers[3]!.Value);
        }

        // Some fields are unreadable: they are reported together with what the rules say of the readable ones.
        foreach (var violation in violations)
        {
            errors[violation.Field] = [violation.Message];
        }

        throw new ValidationException(errors);
    }

    private static readonly string[] Fields = ["sessions", "avg_minutes", "cost_per_session", "cost_per_hour"];

    /// <summary>
    /// The accepted payload as the event log keeps it: its four numbers as the client wrote them (<c>1E2</c> stays
    /// <c>1E2</c>, <c>0.50</c> stays <c>0.50</c>); other properties are ignored and not kept.
    /// </summary>
    public static string Write(JsonObject acceptedPayload) =>
        new JsonObject(Fields.Select(field => KeyValuePair.Create(field, (JsonNode?)acceptedPayload[field]!.DeepClone()))).ToJsonString();

    private static decimal? Number(JsonObject payload, string field, Dictionary<string, string[]> errors)
    {
        if (payload[field] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out decimal number))
        {
            return number;
        }

        errors[$"payload.{field}"] = [payload.ContainsKey(field) ? $"'{field}' must be a number." : $"'{field}' is required."];
        return null;
    }
}
