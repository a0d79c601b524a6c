using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.WizardSessions.Queries;

namespace Sessions.Application.WizardSessions.Commands;

public sealed record SaveWizardDraftCommand(string SessionId, IReadOnlyDictionary<string, ScreenAnswerDto>? Answers, long? ExpectedVersion)
    : ICommand<WizardDraftSavedDto>;

public sealed class SaveWizardDraftCommandHandler(WizardSessionAccess access) : IRequestHandler<SaveWizardDraftCommand, WizardDraftSavedDto>
{
    public async Task<WizardDraftSavedDto> Handle(SaveWizardDraftCommand request, CancellationToken cancellationToken)
    {
        var (session, wizard, now) = await access.LoadForUpdateAsync(request.SessionId, request.ExpectedVersion, cancellationToken);
        session.SaveDraft(wizard, WizardSessionViews.ToChoices(request.Answers), now);
        return new WizardDraftSavedDto(session.DraftId!, session.Id, session.DraftStepIndex!.Value, session.DraftSavedAt!.Value)
        {
            Version = session.Version,
        };
    }
}
