using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.WizardSessions.Queries;

namespace Sessions.Application.WizardSessions.Commands;

public enum WizardAction
{
    NextStep,
    PreviousStep,
    Save,
}

public sealed class ActOnWizardSessionCommandHandler(WizardSessionAccess access, IWizardCatalog catalog, IMapper mapper)
    : IRequestHandler<ActOnWizardSessionCommand, WizardSessionActed>
{
    public async Task<WizardSessionActed> Handle(ActOnWizardSessionCommand request, CancellationToken cancellationToken)
    {
        var (session, wizard, now) = await access.LoadForUpdateAsync(request.SessionId, request.ExpectedVersion, cancellationToken);
        var before = session.CurrentStepIndex(wizard);
        var answers = WizardSessionViews.ToChoices(request.Answers);
        switch (request.Action)
        {
            case WizardAction.NextStep:
                session.Advance(wizard, answers, now);
                break;
            case WizardAction.PreviousStep:
                session.GoBack(wizard, now);
                break;
            default:
                session.SaveAnswers(wizard, answers, now);
                break;
        }

        return new WizardSessionActed(mapper.MapWithCatalog<WizardSessionDto>(session, catalog), before);
    }
}
