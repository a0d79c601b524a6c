using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sessions.Api.Common.Errors;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.Access;

namespace Sessions.Api.WizardSessions;

/// <summary>The wizard catalog, read-only, so a client can render screens.</summary>
[ApiController]
[Route("api/v1/wizards")]
[Tags("WizardSessions")]
[Produces("application/json")]
[Authorize(Scopes.WizardSessionRead)]
public sealed class WizardsController(IMediator mediator) : ControllerBase
{
    /// <summary>Lists every wizard with its screens.</summary>
    [HttpGet(Name = "ListWizards")]
    [ProducesResponseType<WizardCatalogDto>(StatusCodes.Status200OK)]
    public Task<WizardCatalogDto> List(CancellationToken cancellationToken) => mediator.Send(new ListWizardsQuery(), cancellationToken);

    /// <summary>Returns one wizard with its screens, options and conditions.</summary>
    [HttpGet("{wizardId}", Name = "GetWizard")]
    [ProducesResponseType<WizardDefinitionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<WizardDefinitionDto> Get(string wizardId, CancellationToken cancellationToken) =>
        mediator.Send(new GetWizardQuery(wizardId), cancellationToken);
}
