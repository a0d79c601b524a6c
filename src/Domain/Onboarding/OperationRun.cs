using Sessions.Domain.Common;

namespace Sessions.Domain.Onboarding;

public enum OperationRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

public enum EvidenceStatus
{
    Ok,
    Warn,
    Fail,
    Unknown,
}

/// <summary>What a task found: a verdict, a stable reason code, a message safe to show, and details.</summary>
public sealed record TaskOutcome(EvidenceStatus Status, string? ReasonCode, string? Message, string Payload)
{
    public const int MaxReasonCodeLength = 64;

    /// <summary>Longer messages (a provider's error text, say) are cut to this length when recorded.</summary>
    public const int MaxMessageLength = 1000;
}

/// <summary>
/// One execution of a catalog task, run by the background worker: queued, claimed with a lease,
/// then succeeded (the task ran and recorded its evidence) or failed (it could not, within its attempts).
/// A worker claims a run for a lease and renews it while its task works; a run whose lease expired
/// (its worker died) may be claimed again, each claim counting an attempt, until its attempts are
/// spent and it is given up. Every transition changes <see cref="AggregateRoot.Version"/>, so of two
/// workers acting on one run from the same read, only the first to save succeeds.
/// </summary>
public sealed class OperationRun : AggregateRoot
{
    public const int MaxTaskTypeLength = 128;

    private OperationRun()
    {
        TaskType = null!;
    }

    public long Id { get; private set; }
    public int TenantId { get; private set; }
    public long? OnboardingSessionId { get; private set; }
    public long? ProviderConnectionId { get; private set; }
    public string TaskType { get; private set; }
    public OperationRunStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public string? LeaseOwner { get; private set; }
    public DateTimeOffset? LeaseExpiresAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The outcome as JSON (<c>{status, reason_code, message}</c>), once finished.</summary>
    public string? Result { get; private set; }

    public bool IsActive => Status is OperationRunStatus.Queued or OperationRunStatus.Running;

    /// <summary>
    /// The runs a worker may claim at <paramref name="now"/>: queued, or running under an expired lease,
    /// with attempts left. The queue is searched with this in the database; <see cref="IsClaimable"/> is
    /// the same rule for one run in memory (a test holds the two together).
    /// </summary>
    public static System.Linq.Expressions.Expression<Func<OperationRun, bool>> ClaimableAt(DateTimeOffset now, int maxAttempts) =>
        run => (run.Status == OperationRunStatus.Queued || (run.Status == OperationRunStatus.Running && run.LeaseExpiresAt < now))
               && run.Attempts < maxAttempts;

    /// <summary>The runs whose attempts are spent: running under an expired lease, claimed <paramref name="maxAttempts"/> times.</summary>
    public static System.Linq.Expressions.Expression<Func<OperationRun, bool>> ExhaustedAt(DateTimeOffset now, int maxAttempts) =>
        run => run.Status == OperationRunStatus.Running && run.LeaseExpiresAt < now && run.Attempts >= maxAttempts;

    public bool IsClaimable(DateTimeOffset now, int maxAttempts) =>
        (Status == OperationRunStatus.Queued || (Status == OperationRunStatus.Running && LeaseExpiresAt < now)) && Attempts < maxAttempts;

    public bool IsExhausted(DateTimeOffset now, int maxAttempts) =>
        Status == OperationRunStatus.Running && LeaseExpiresAt < now && Attempts >= maxAttempts;

    /// <summary>Takes the run for <paramref name="workerId"/> until <paramref name="now"/> + <paramref name="lease"/>; one more attempt.</summary>
    public void Claim(string workerId, DateTimeOffset now, TimeSpan lease, int maxAttempts)
    {
        if (!IsClaimable(now, maxAttempts))
        {
            throw new InvalidTransitionException("run_not_claimable",
                IsActive ? $"Run {Id} is held by another worker or has spent its attempts." : $"Run {Id} has already finished.");
        }

        Status = OperationRunStatus.Running;
        Attempts++;
        LeaseOwner = workerId;
        LeaseExpiresAt = now + lease;
        StartedAt ??= now;
        Changed();
    }

    /// <summary>Extends the lease of a run this worker holds, while its task works.</summary>
    public void RenewLease(string workerId, DateTimeOffset now, TimeSpan lease)
    {
        EnsureHeldBy(workerId);
        LeaseExpiresAt = now + lease;
        Changed();
    }

    public static OperationRun Queue(int tenantId, long? sessionId, long? providerConnectionId, string taskType, DateTimeOffset now)
    {
        var run = new OperationRun
        {
            TenantId = tenantId,
            OnboardingSessionId = sessionId,
            ProviderConnectionId = providerConnectionId,
            TaskType = taskType,
            Status = OperationRunStatus.Queued,
            CreatedAt = now,
        };
        run.Changed();
        return run;
    }

    /// <summary>Finishes a run this worker holds the lease of, with the evidence its task produced.</summary>
    public OnboardingEvidence Succeed(string workerId, TaskOutcome outcome, DateTimeOffset now)
    {
        EnsureHeldBy(workerId);
        Status = OperationRunStatus.Succeeded;
        Finish(outcome, now);
        return OnboardingEvidence.Record(this, outcome, now);
    }

    /// <summary>Gives up on a run whose attempts are spent, with evidence saying so.</summary>
    public OnboardingEvidence GiveUp(DateTimeOffset now, int maxAttempts)
    {
        if (!IsExhausted(now, maxAttempts))
        {
            throw new InvalidTransitionException(IsActive ? "run_not_exhausted" : "run_finished",
                IsActive ? $"Run {Id} is held or has attempts left." : $"Run {Id} has already finished.");
        }

        var outcome = new TaskOutcome(EvidenceStatus.Fail, "attempts_exhausted", $"The run did not finish in {Attempts} attempts.", "{}");
        Status = OperationRunStatus.Failed;
        Finish(outcome, now);
        return OnboardingEvidence.Record(this, outcome, now);
    }

    private void Finish(TaskOutcome outcome, DateTimeOffset now)
    {
        FinishedAt = now;
        LeaseOwner = null;
        LeaseExpiresAt = null;
        Result = System.Text.Json.JsonSerializer.Serialize(new
        {
            status = outcome.Status.ToString().ToLowerInvariant(),
            reason_code = outcome.ReasonCode,
            message = outcome.Message,
        });
        Changed();
    }

    private void EnsureHeldBy(string workerId)
    {
        if (Status != OperationRunStatus.Running || LeaseOwner != workerId)
        {
            throw new InvalidTransitionException("lease_lost", $"Run {Id} is no longer held by {workerId}.");
        }
    }
}

/// <summary>The record of one run's finding; exactly one per run.</summary>
public sealed class OnboardingEvidence : AggregateRoot
{
    private OnboardingEvidence()
    {
        TaskType = Payload = null!;
    }

    public long Id { get; private set; }
    public int TenantId { get; private set; }
    public long? OnboardingSessionId { get; private set; }
    public long? ProviderConnectionId { get; private set; }
    public string TaskType { get; private set; }
    public EvidenceStatus Status { get; private set; }
    public string? ReasonCode { get; private set; }
    public string? Message { get; private set; }
    public string Payload { get; private set; }
    public long OperationRunId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    internal static OnboardingEvidence Record(OperationRun run, TaskOutcome outcome, DateTimeOffset now)
    {
        var evidence = new OnboardingEvidence
        {
            TenantId = run.TenantId,
            OnboardingSessionId = run.OnboardingSessionId,
            ProviderConnectionId = run.ProviderConnectionId,
            TaskType = run.TaskType,
            Status = outcome.Status,
            ReasonCode = outcome.ReasonCode,
            Message = outcome.Message is { Length: > TaskOutcome.MaxMessageLength } message
                ? message[..TaskOutcome.MaxMessageLength]
                : outcome.Message,
            Payload = outcome.Payload,
            OperationRunId = run.Id,
            RecordedAt = now,
        };
        evidence.Changed();
        return evidence;
    }
}
