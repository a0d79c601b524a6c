using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Onboarding.Queries;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Commands;

/// <summary>Returns the tenant's active onboarding, starting one when there is none.</summary>
public sealed record StartOnboardingSessionCommand(int TenantId) : ICommand<OnboardingSessionDto>;

public sealed class StartOnboardingSessionCommandHandler(
    IRepository<OnboardingSession> sessions, IUnitOfWork unitOfWork, OnboardingAccess access, TimeProvider clock, IMapper mapper)
    : IRequestHandler<StartOnboardingSessionCommand, OnboardingSessionDto>
{
    public async Task<OnboardingSessionDto> Handle(StartOnboardingSessionCommand request, CancellationToken cancellationToken)
    {
        access.EnsureTenant(request.TenantId);
        var session = await sessions.FirstOrDefaultAsync(new ActiveOnboardingSessionSpec(request.TenantId), cancellationToken);
        if (session is null)
        {
            // A unique index allows one active session per tenant: a racing start re-runs and resumes it.
            session = OnboardingSession.Start(request.TenantId, clock.GetUtcNow());
            sessions.Add(session);
            await unitOfWork.CommitAsync(cancellationToken);
        }

        return mapper.Map<OnboardingSessionDto>(session);
    }
}
