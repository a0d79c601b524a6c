using Sessions.Domain.Common;

namespace Sessions.Domain.Onboarding;

public enum OnboardingStatus
{
    Draft,
    InProgress,
    Completed,
    Abandoned,
}

/// <summary>The requested change of a PATCH; null members are left as they are.</summary>
public sealed record OnboardingChange(
    int? CurrentStep = null,
    bool SetAssignee = false,
    long? AssignedToUserId = null,
    long? ProviderConnectionId = null,
    OnboardingStatus? Status = null);

/// <summary>
/// A tenant's onboarding: five steps, one editor at a time. Whoever changes it takes (or renews)
/// a time-limited lock; while another user's lock is fresh, changes need an explicit takeover.
/// </summary>
public sealed class OnboardingSession : AggregateRoot
{
    public const int FirstStep = 1;
    public const int LastStep = 5;

    private OnboardingSession()
    {
    }

    public long Id { get; private set; }
    public int TenantId { get; private set; }
    public long? ProviderConnectionId { get; private set; }
    public OnboardingStatus Status { get; private set; }
    public int CurrentStep { get; private set; }
    public long? AssignedToUserId { get; private set; }
    public long? LockedByUserId { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsActive => Status is OnboardingStatus.Draft or OnboardingStatus.InProgress;

    public static OnboardingSession Start(int tenantId, DateTimeOffset now)
    {
        var session = new OnboardingSession
        {
            TenantId = tenantId,
            Status = OnboardingStatus.Draft,
            CurrentStep = FirstStep,
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Changed();
        return session;
    }

    /// <summary>True when a user other than <paramref name="userId"/> holds a lock that has not expired.</summary>
    public bool IsLockedAgainst(long userId, DateTimeOffset now) =>
        LockedByUserId is { } holder && holder != userId && LockedUntil > now;

    public void Update(long callerUserId, OnboardingChange change, bool takeover, DateTimeOffset now, TimeSpan lockFor)
    {
        if (!IsActive)
        {
            throw new InvalidTransitionException("session_closed", $"The onboarding session is {StatusName} and can no longer change.");
        }

        if (IsLockedAgainst(callerUserId, now) && !takeover)
        {
            throw new InvalidTransitionException("session_locked",
                $"User {LockedByUserId} is editing this session until {LockedUntil:u}; send takeover: true to take it over.");
        }

        if (change.CurrentStep is { } step)
        {
            if (step is < FirstStep or > LastStep)
            {
                throw new RuleViolationException("current_step", "invalid_step", $"'current_step' is {FirstStep} to {LastStep}.");
            }

            CurrentStep = step;
            if (step > FirstStep && Status == OnboardingStatus.Draft)
            {
                Status = OnboardingStatus.InProgress;
            }
        }

        if (change.SetAssignee)
        {
            AssignedToUserId = change.AssignedToUserId;
        }

        if (change.ProviderConnectionId is { } connection)
        {
            ProviderConnectionId = connection;
        }

        switch (change.Status)
        {
            case OnboardingStatus.Completed when CurrentStep != LastStep:
                throw new InvalidTransitionException("not_at_last_step", $"An onboarding completes from step {LastStep} only.");
            case OnboardingStatus.Completed or OnboardingStatus.Abandoned:
                Status = change.Status.Value;
                break;
            case OnboardingStatus.InProgress when Status == OnboardingStatus.Draft:
                Status = OnboardingStatus.InProgress;
                break;
            case OnboardingStatus.Draft when Status != OnboardingStatus.Draft:
                throw new InvalidTransitionException("cannot_return_to_draft", "A started onboarding cannot return to draft.");
        }

        LockedByUserId = IsActive ? callerUserId : null;
        LockedUntil = IsActive ? now + lockFor : null;
        UpdatedAt = now;
        Changed();
    }

    private string StatusName => Status == OnboardingStatus.Completed ? "completed" : "abandoned";
}
