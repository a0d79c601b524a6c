using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.Common.Telemetry;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Commands;

/// <summary>Queues a catalog task for the tenant, or returns the run already queued or running for it.</summary>
public sealed record StartOnboardingTaskRunCommand(int TenantId, string TaskType) : ICommand<long>;

public sealed class StartOnboardingTaskRunCommandHandler(
    IRepository<OperationRun> runs,
    IRepository<OnboardingSession> sessions,
    IOnboardingTaskCatalog catalog,
    IUnitOfWork unitOfWork,
    OnboardingAccess access, ICaller caller,
    TimeProvider clock,
    SessionsMetrics metrics) : IRequestHandler<StartOnboardingTaskRunCommand, long>
{
    public async Task<long> Handle(StartOnboardingTaskRunCommand request, CancellationToken cancellationToken)
    {
        access.EnsureTenant(request.TenantId);
        if (catalog.Find(request.TaskType) is null)
        {
            throw new NotFoundException("Task type", request.TaskType);
        }

        // The lock is checked first: a user locked out learns so even when a run of the task is already active.
        var now = clock.GetUtcNow();
        var session = await sessions.FirstOrDefaultAsync(new ActiveOnboardingSessionSpec(request.TenantId), cancellationToken);
        if (session is not null && session.IsLockedAgainst(caller.UserId, now))
        {
            throw new ConflictException("session_locked", $"User {session.LockedByUserId} is editing this onboarding session.");
        }

        var active = await runs.FirstOrDefaultAsync(new ActiveRunSpec(request.TenantId, request.TaskType), cancellationToken);
        if (active is not null)
        {
            return active.Id;
        }

        if (session is null)
        {
            throw new ConflictException("no_onboarding_session", "Start an onboarding session for this tenant first.");
        }

        if (session.ProviderConnectionId is not { } connection)
        {
            throw new ConflictException("provider_connection_missing", "The onboarding session has no provider connection yet.");
        }

        // A unique index allows one active run per (tenant, task): a racing start re-runs and reuses it.
        var run = OperationRun.Queue(request.TenantId, session.Id, connection, request.TaskType, now);
        runs.Add(run);
        // Counted once the commit stored it: a start that loses the race and reuses the winner's run queued nothing.
        return unitOfWork.RespondAfterCommit(() =>
        {
            metrics.RunQueued();
            return run.Id;
        });
    }
}
