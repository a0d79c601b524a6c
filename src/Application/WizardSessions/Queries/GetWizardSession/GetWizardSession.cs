using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;

namespace Sessions.Application.WizardSessions.Queries;

public sealed record GetWizardSessionQuery(string SessionId) : IQuery<WizardSessionDto>;

public sealed class GetWizardSessionQueryHandler(WizardSessionAccess access, IWizardCatalog catalog, IMapper mapper) : IRequestHandler<GetWizardSessionQuery, WizardSessionDto>
{
    public async Task<WizardSessionDto> Handle(GetWizardSessionQuery request, CancellationToken cancellationToken)
    {
        var (session, _, _) = await access.LoadAsync(request.SessionId, cancellationToken);
        return mapper.MapWithCatalog<WizardSessionDto>(session, catalog);
    }
}
