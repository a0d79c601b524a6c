using Sessions.Domain.Common;

namespace Sessions.Domain.CalculatorSessions;

public enum CalculatorState
{
    Initial,
    Loaded,
    Shared,
}

/// <summary>The events a session accepts, named as clients send them.</summary>
public enum CalculatorEvent
{
    CalculateRequested,
    ShareRequested,
    ResetRequested,
}

/// <summary>The state machine, in one place: which event moves which state where.</summary>
public static class CalculatorTransitions
{
    private static readonly Dictionary<(CalculatorState From, CalculatorEvent On), CalculatorState> Table = new()
    {
        [(CalculatorState.Initial, CalculatorEvent.CalculateRequested)] = CalculatorState.Loaded,
        [(CalculatorState.Loaded, CalculatorEvent.CalculateRequested)] = CalculatorState.Loaded,
        [(CalculatorState.Shared, CalculatorEvent.CalculateRequested)] = CalculatorState.Loaded,
        [(CalculatorState.Loaded, CalculatorEvent.ShareRequested)] = CalculatorState.Shared,
        [(CalculatorState.Shared, CalculatorEvent.ShareRequested)] = CalculatorState.Shared,
        [(CalculatorState.Initial, CalculatorEvent.ResetRequested)] = CalculatorState.Initial,
        [(CalculatorState.Loaded, CalculatorEvent.ResetRequested)] = CalculatorState.Initial,
        [(CalculatorState.Shared, CalculatorEvent.ResetRequested)] = CalculatorState.Initial,
    };

    public static CalculatorState Next(CalculatorState from, CalculatorEvent on) =>
        Table.TryGetValue((from, on), out var to)
            ? to
            : throw new InvalidTransitionException("illegal_transition",
                $"{on} is not accepted in state {from.ToString().ToLowerInvariant()}.");

    public static bool Allows(CalculatorState from, CalculatorEvent on) => Table.ContainsKey((from, on));
}

/// <summary>One accepted event, appended to the session's log and never changed.</summary>
public sealed class CalculatorEventRecord
{
    private CalculatorEventRecord()
    {
        SessionId = null!;
    }

    public string SessionId { get; private set; }
    public int Sequence { get; private set; }
    public CalculatorEvent Event { get; private set; }

    /// <summary>The payload as accepted (JSON), or null for events without one.</summary>
    public string? Payload { get; private set; }

    public CalculatorState StateBefore { get; private set; }
    public CalculatorState StateAfter { get; private set; }
    public string? ResultId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }

    internal static CalculatorEventRecord Of(CalculatorSession session, int sequence, CalculatorEvent @event, string? payload,
        CalculatorState before, DateTimeOffset now) => new()
    {
        SessionId = session.Id,
        Sequence = sequence,
        Event = @event,
        Payload = payload,
        StateBefore = before,
        StateAfter = session.State,
        ResultId = session.ResultId,
        OccurredAt = now,
    };
}

/// <summary>
/// A mentor's benefit calculator, BLoC style: events move it between states following
/// <see cref="CalculatorTransitions"/>; every accepted event is logged; a refused one changes nothing.
/// </summary>
public sealed class CalculatorSession : AggregateRoot
{
    public const int MaxIdLength = 255;

    /// <summary>The longest <see cref="CalculatorEvent"/> name.</summary>
    public const int MaxEventNameLength = 32;

    private readonly List<CalculatorEventRecord> _events = [];

    private CalculatorSession()
    {
        Id = MentorId = OrganisationId = null!;
    }

    public string Id { get; private set; }
    public string MentorId { get; private set; }
    public string OrganisationId { get; private set; }
    public CalculatorState State { get; private set; }
    public CalculatorEvent? LastEvent { get; private set; }
    public string? ResultId { get; private set; }
    public string? ShareToken { get; private set; }
    public int EventCount { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The log entries loaded with the session, or appended since it was loaded.</summary>
    public IReadOnlyList<CalculatorEventRecord> Events => _events;

    public static CalculatorSession Open(string mentorId, string organisationId, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(mentorId) || mentorId.Length > MaxIdLength)
        {
            throw new RuleViolationException("mentor_id", "invalid_mentor_id", "'mentor_id' must be 1 to 255 characters.");
        }

        var session = new CalculatorSession
        {
            Id = CalculatorIds.New("session_"),
            MentorId = mentorId,
            OrganisationId = organisationId,
            State = CalculatorState.Initial,
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Changed();
        return session;
    }

    /// <summary>Computes and records a new result; returns it so it can be stored.</summary>
    public CalculationResult Calculate(CalculationInputs inputs, string payload, DateTimeOffset now)
    {
        var before = Move(CalculatorEvent.CalculateRequested);
        var result = CalculationResult.Record(this, inputs, now);
        ResultId = result.Id;
        ShareToken = null;
        Accept(CalculatorEvent.CalculateRequested, payload, before, now);
        return result;
    }

    /// <summary>
    /// Shares the current result; sharing again keeps the same token. Anyone holding the token reads the result
    /// until a reset or a new calculation clears it.
    /// </summary>
    public void Share(DateTimeOffset now)
    {
        var before = Move(CalculatorEvent.ShareRequested);
        ShareToken ??= CalculatorIds.NewShareToken();
        Accept(CalculatorEvent.ShareRequested, null, before, now);
    }

    /// <summary>Back to the start: the result is cleared (it stays retrievable by its id).</summary>
    public void Reset(DateTimeOffset now)
    {
        var before = Move(CalculatorEvent.ResetRequested);
        ResultId = null;
        ShareToken = null;
        Accept(CalculatorEvent.ResetRequested, null, before, now);
    }

    private CalculatorState Move(CalculatorEvent on)
    {
        var before = State;
        State = CalculatorTransitions.Next(State, on);
        return before;
    }

    private void Accept(CalculatorEvent @event, string? payload, CalculatorState before, DateTimeOffset now)
    {
        LastEvent = @event;
        UpdatedAt = now;
        EventCount++;
        _events.Add(CalculatorEventRecord.Of(this, EventCount, @event, payload, before, now));
        Changed();
    }
}
