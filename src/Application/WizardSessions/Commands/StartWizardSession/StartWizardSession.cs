using AutoMapper;
using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Commands;

public sealed record StartWizardSessionCommand(string? WizardId, string? UserId, string? Locale) : ICommand<WizardSessionDto>
{
    public const string DefaultLocale = "en";
}

public sealed class StartWizardSessionCommandHandler(
    IRepository<WizardSession> sessions, IWizardCatalog catalog, ICaller caller, TimeProvider clock, IMapper mapper)
    : IRequestHandler<StartWizardSessionCommand, WizardSessionDto>
{
    public Task<WizardSessionDto> Handle(StartWizardSessionCommand request, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.UserId, caller.Handle, StringComparison.Ordinal))
        {
            throw new ForbiddenException("'user_id' must be the caller's own user: sessions are started for oneself.");
        }

        var wizard = catalog.RequireWizard(request.WizardId!);
        var session = WizardSession.Start(wizard, caller.UserId, caller.Handle,
            request.Locale ?? StartWizardSessionCommand.DefaultLocale, clock.GetUtcNow());
        sessions.Add(session);
        return Task.FromResult(mapper.MapWithCatalog<WizardSessionDto>(session, catalog));
    }
}
