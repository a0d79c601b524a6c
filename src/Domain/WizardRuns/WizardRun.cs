using System.Text.RegularExpressions;
using Sessions.Domain.Common;

namespace Sessions.Domain.WizardRuns;

public enum RunPhase
{
    Idle,
    Running,
    Completed,
    Error,
}

public enum WizardTaskStatus
{
    Pending,
    InProgress,
    Completed,
    Failed,
    Canceled,
}

public sealed record WizardTask(string Id, string Title, WizardTaskStatus Status);

/// <summary>
/// Everything a push replaces. Free-form parts (event plan, error) are JSON object text kept as sent;
/// null means absent.
/// </summary>
public sealed record WizardRunState(
    string WorkflowId,
    string SkillId,
    DateTimeOffset StartedAt,
    RunPhase RunPhase,
    IReadOnlyList<WizardTask> Tasks,
    string? EventPlan,
    string? Error,
    PendingInput? PendingInput,
    string? HandoffText);

/// <summary>The user whose key created a run, as they were then (users are never renamed).</summary>
public sealed record WizardRunCreator(long UserId, string Handle, string? Name);

/// <summary>An upsert was committed; subscribers of the (project, workflow, skill) stream read the row again.</summary>
public sealed record WizardRunUpserted(int ProjectId, string SessionId, string WorkflowId, string SkillId) : IDomainEvent;

/// <summary>
/// One run of the PostHog wizard CLI in a project, pushed whole on every change and keyed by the
/// client's session id.
/// </summary>
public sealed partial class WizardRun : AggregateRoot
{
    public const int MaxIdLength = 255;
    public const int MaxTitleLength = 1000;
    public const int MaxHandoffTextLength = 65_536;
    public const int MaxTasks = 500;

    /// <summary>What a workflow or skill id may be made of.</summary>
    public const string WorkflowIdPattern = "^[A-Za-z0-9_.-]{1,255}$";

    /// <summary>A run's session id is one path segment (it may hold ':').</summary>
    public const string SessionIdPattern = @"^[^/?#\s]+$";

    private WizardRun()
    {
        SessionId = WorkflowId = SkillId = null!;
        Tasks = [];
    }

    public long Id { get; private set; }
    public int ProjectId { get; private set; }
    public string SessionId { get; private set; }
    public string WorkflowId { get; private set; }
    public string SkillId { get; private set; }
    public DateTimeOffset StartedAt { get; private set; }
    public RunPhase RunPhase { get; private set; }
    public IReadOnlyList<WizardTask> Tasks { get; private set; }
    public string? EventPlan { get; private set; }
    public string? Error { get; private set; }
    public PendingInput? PendingInput { get; private set; }
    public string? HandoffText { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Who created the run; null only for runs stored before runs had owners (the next push claims them).</summary>
    public long? CreatedByUserId { get; private set; }
    public string? CreatedByHandle { get; private set; }
    public string? CreatedByName { get; private set; }

    public WizardRunCreator? CreatedBy =>
        CreatedByUserId is { } userId ? new WizardRunCreator(userId, CreatedByHandle!, CreatedByName) : null;

    public static WizardRun Record(int projectId, string sessionId, WizardRunCreator creator, WizardRunState state, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > MaxIdLength || !SessionIdRegex().IsMatch(sessionId))
        {
            throw new RuleViolationException("session_id", "invalid_session_id",
                "'session_id' is 1 to 255 characters without '/', '?', '#' or white space.");
        }

        var run = new WizardRun { ProjectId = projectId, SessionId = sessionId, CreatedAt = now };
        run.Own(creator);
        run.Apply(state, now);
        return run;
    }

    /// <summary>Only the creator pushes to a run; anyone with the project may read it.</summary>
    public bool MayBeChangedBy(long userId) => CreatedByUserId is null || CreatedByUserId == userId;

    /// <summary>A later push by <paramref name="pusher"/>, who must be allowed to (<see cref="MayBeChangedBy"/>); creation time stays.</summary>
    public void Replace(WizardRunCreator pusher, WizardRunState state, DateTimeOffset now)
    {
        if (!MayBeChangedBy(pusher.UserId))
        {
            throw new InvalidOperationException("Only the run's creator may push to it.");
        }

        Apply(state, now);
        if (CreatedByUserId is null)
        {
            Own(pusher);
        }
    }

    private void Own(WizardRunCreator creator) =>
        (CreatedByUserId, CreatedByHandle, CreatedByName) = (creator.UserId, creator.Handle, creator.Name);

    /// <summary>Still running but silent for longer than <paramref name="staleAfter"/>.</summary>
    public bool IsStaleAt(DateTimeOffset now, TimeSpan staleAfter) =>
        RunPhase is not (RunPhase.Completed or RunPhase.Error) && now - UpdatedAt > staleAfter;

    private void Apply(WizardRunState state, DateTimeOffset now)
    {
        Validate(state);
        WorkflowId = state.WorkflowId;
        SkillId = state.SkillId;
        StartedAt = state.StartedAt.ToUniversalTime();
        RunPhase = state.RunPhase;
        Tasks = state.Tasks.ToArray();
        EventPlan = state.EventPlan;
        Error = state.Error;
        PendingInput = state.PendingInput;
        HandoffText = state.HandoffText;
        UpdatedAt = now;
        Changed();
        Raise(new WizardRunUpserted(ProjectId, SessionId, WorkflowId, SkillId));
    }

    private static void Validate(WizardRunState state)
    {
        if (!WorkflowPattern().IsMatch(state.WorkflowId))
        {
            throw new RuleViolationException("workflow_id", "invalid_workflow_id", "'workflow_id' is 1 to 255 letters, digits, '_', '.' or '-'.");
        }

        if (!WorkflowPattern().IsMatch(state.SkillId))
        {
            throw new RuleViolationException("skill_id", "invalid_skill_id", "'skill_id' is 1 to 255 letters, digits, '_', '.' or '-'.");
        }

        if (state.Tasks.Count > MaxTasks)
        {
            throw new RuleViolationException("tasks", "too_many_tasks", $"A run has at most {MaxTasks} tasks.");
        }

        for (var i = 0; i < state.Tasks.Count; i++)
        {
            var task = state.Tasks[i];
            if (string.IsNullOrEmpty(task.Id) || task.Id.Length > MaxIdLength)
            {
                throw new RuleViolationException($"tasks[{i}].id", "invalid_task", "A task id is 1 to 255 characters.");
            }

            if (task.Title is null || task.Title.Length > MaxTitleLength)
            {
                throw new RuleViolationException($"tasks[{i}].title", "invalid_task", $"A task title is at most {MaxTitleLength} characters.");
            }
        }

        if (state.HandoffText is { Length: > MaxHandoffTextLength })
        {
            throw new RuleViolationException("handoff_text", "handoff_text_too_long", $"'handoff_text' is at most {MaxHandoffTextLength} characters.");
        }
    }

    [GeneratedRegex(WorkflowIdPattern)]
    private static partial Regex WorkflowPattern();

    [GeneratedRegex(SessionIdPattern)]
    private static partial Regex SessionIdRegex();
}
