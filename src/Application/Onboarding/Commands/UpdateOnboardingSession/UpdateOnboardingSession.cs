using AutoMapper;
using MediatR;
using Microsoft.Extensions.Options;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.Onboarding.Queries;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Commands;

public sealed record UpdateOnboardingSessionCommand(
    int TenantId,
    long SessionId,
    int? CurrentStep,
    long? AssignedToUserId,
    bool Unassign,
    long? ProviderConnectionId,
    OnboardingStatus? Status,
    bool Takeover,
    long? ExpectedVersion) : ICommand<OnboardingSessionDto>;

public sealed class UpdateOnboardingSessionCommandHandler(
    IRepository<ProviderConnection> connections,
    ITenantDirectory directory,
    OnboardingAccess access, ICaller caller,
    TimeProvider clock,
    IOptions<OnboardingOptions> options,
    IMapper mapper) : IRequestHandler<UpdateOnboardingSessionCommand, OnboardingSessionDto>
{
    public async Task<OnboardingSessionDto> Handle(UpdateOnboardingSessionCommand request, CancellationToken cancellationToken)
    {
        var session = await access.LoadSessionForUpdateAsync(request.TenantId, request.SessionId, request.ExpectedVersion, cancellationToken);

        if (request.AssignedToUserId is { } assignee && !await directory.HasTenantGrantAsync(assignee, request.TenantId, cancellationToken))
        {
            throw ValidationException.For("assigned_to_user_id", $"User {assignee} has no access to tenant {request.TenantId}.");
        }

        if (request.ProviderConnectionId is { } connection
            && !await connections.AnyAsync(new ProviderConnectionByIdSpec(request.TenantId, connection), cancellationToken))
        {
            throw ValidationException.For("provider_connection_id", $"Provider connection {connection} is not one of tenant {request.TenantId}.");
        }

        session.Update(caller.UserId, new OnboardingChange(
                request.CurrentStep,
                SetAssignee: request.Unassign || request.AssignedToUserId is not null,
                request.Unassign ? null : request.AssignedToUserId,
                request.ProviderConnectionId,
                request.Status),
            request.Takeover, clock.GetUtcNow(), options.Value.LockFor);
        return mapper.Map<OnboardingSessionDto>(session);
    }
}
