using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Queries;

public sealed record GetOnboardingSessionQuery(int TenantId) : IQuery<OnboardingSessionResponse>;

public sealed class GetOnboardingSessionQueryHandler(IReadRepository<OnboardingSession> sessions, OnboardingAccess access, IMapper mapper)
    : IRequestHandler<GetOnboardingSessionQuery, OnboardingSessionResponse>
{
    public async Task<OnboardingSessionResponse> Handle(GetOnboardingSessionQuery request, CancellationToken cancellationToken)
    {
        access.EnsureTenant(request.TenantId);
        var session = await sessions.FirstOrDefaultAsync(new ActiveOnboardingSessionSpec(request.TenantId), cancellationToken);
        return new OnboardingSessionResponse(session is null ? null : mapper.Map<OnboardingSessionDto>(session));
    }
}
