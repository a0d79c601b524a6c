using AutoMapper;
using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;

namespace Sessions.Application.WizardSessions.Queries;

public sealed record GetWizardQuery(string WizardId) : IQuery<WizardDefinitionDto>;

public sealed class GetWizardQueryHandler(IWizardCatalog catalog, IMapper mapper) : IRequestHandler<GetWizardQuery, WizardDefinitionDto>
{
    public Task<WizardDefinitionDto> Handle(GetWizardQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(mapper.Map<WizardDefinitionDto>(catalog.Find(request.WizardId) ?? throw new NotFoundException("Wizard", request.WizardId)));
}
