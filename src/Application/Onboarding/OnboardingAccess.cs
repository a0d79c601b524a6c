using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding;

/// <summary>What belongs to the caller's tenants: a tenant outside the key's grants looks exactly like one that does not exist.</summary>
public sealed class OnboardingAccess(IRepository<OnboardingSession> sessions, IReadRepository<OperationRun> runs, ICaller caller)
{
    public void EnsureTenant(int tenantId)
    {
        if (!caller.HasTenant(tenantId))
        {
            throw new NotFoundException("Tenant", tenantId);
        }
    }

    /// <summary>The session to change, at the version the client named (412 otherwise).</summary>
    public async Task<OnboardingSession> LoadSessionForUpdateAsync(int tenantId, long sessionId, long? expectedVersion, CancellationToken cancellationToken)
    {
        EnsureTenant(tenantId);
        return await sessions.GetForUpdateAsync(new OnboardingSessionByIdSpec(tenantId, sessionId), expectedVersion, cancellationToken)
               ?? throw new NotFoundException("Onboarding session", sessionId);
    }

    public async Task<OperationRun> LoadRunAsync(int tenantId, long runId, CancellationToken cancellationToken)
    {
        EnsureTenant(tenantId);
        return await runs.FirstOrDefaultAsync(new OperationRunByIdSpec(tenantId, runId), cancellationToken)
               ?? throw new NotFoundException("Operation run", runId);
    }
}
