using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Commands;

/// <summary>Discards a session and its draft, whatever its status.</summary>
public sealed record DeleteWizardSessionCommand(string SessionId, long? ExpectedVersion)
    : ICommand<WizardSessionDeletedDto>;

public sealed class DeleteWizardSessionCommandHandler(WizardSessionAccess access, IRepository<WizardSession> sessions)
    : IRequestHandler<DeleteWizardSessionCommand, WizardSessionDeletedDto>
{
    public async Task<WizardSessionDeletedDto> Handle(DeleteWizardSessionCommand request, CancellationToken cancellationToken)
    {
        var loaded = await access.LoadForUpdateAsync(request.SessionId, request.ExpectedVersion, cancellationToken);
        sessions.Remove(loaded.Session);
        return new WizardSessionDeletedDto(true, loaded.Session.Id);
    }
}
