using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Sessions.Api.Common.Errors;
using Sessions.Api.Common.Http;
using Sessions.Application.CalculatorSessions.Commands;
using Sessions.Application.CalculatorSessions.Queries;
using Sessions.Application.Common;
using Sessions.Application.Common.Paging;
using Sessions.Domain.Access;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Api.CalculatorSessions;

/// <summary>Benefit-calculator sessions (seed 002): a state machine driven by events, per organisation.</summary>
[ApiController]
[Route("api/v1/benefit-calculator-sessions")]
[Tags("CalculatorSessions")]
[Produces("application/json")]
public sealed class CalculatorSessionsController(IMediator mediator) : ControllerBase
{
    /// <summary>Lists the sessions of the caller's organisations, newest first.</summary>
    [HttpGet(Name = "ListCalculatorSessions")]
    [Authorize(Scopes.CalculatorSessionRead)]
    [ProducesResponseType<CalculatorSessionListDto>(StatusCodes.Status200OK)]
    public Task<CalculatorSessionListDto> List(
        [FromQuery] [Range(1, Paging.MaxPage)] int? page, [FromQuery] [Range(1, ListCalculatorSessionsQuery.MaxLimit)] int? limit,
        [FromQuery(Name = "mentor_id")] [MaxLength(CalculatorSession.MaxIdLength)] string? mentorId, CancellationToken cancellationToken) =>
        mediator.Send(new ListCalculatorSessionsQuery(page, limit, mentorId), cancellationToken);

    /// <summary>Opens a session for a mentor of one of the caller's organisations, in state <c>initial</c>.</summary>
    [HttpPost(Name = "OpenCalculatorSession")]
    [Idempotent]
    [Authorize(Scopes.CalculatorSessionWrite)]
    [ProducesResponseType<CalculatorSessionDto>(StatusCodes.Status201Created)]
    public async Task<ActionResult<CalculatorSessionDto>> Open(
        [FromBody] OpenCalculatorSessionRequest body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var session = await mediator.Send(new OpenCalculatorSessionCommand(body.MentorId, body.OrganisationId), cancellationToken);
        return CreatedAtAction(nameof(Get), new { sessionId = session.SessionId }, session);
    }

    /// <summary>Returns a session's state snapshot.</summary>
    [HttpGet("{sessionId}", Name = "GetCalculatorSession")]
    [Authorize(Scopes.CalculatorSessionRead)]
    [ProducesResponseType<CalculatorSessionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<CalculatorSessionDto> Get(string sessionId, CancellationToken cancellationToken) =>
        mediator.Send(new GetCalculatorSessionQuery(sessionId), cancellationToken);

    /// <summary>Dispatches an event: CalculateRequested (with its payload), ShareRequested or ResetRequested.</summary>
    [HttpPut("{sessionId}", Name = "DispatchCalculatorEvent")]
    [Authorize(Scopes.CalculatorSessionWrite)]
    [ProducesResponseType<CalculatorSessionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public Task<CalculatorSessionDto> Dispatch(
        string sessionId,
        [FromBody] CalculatorEventRequest body,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        CancellationToken cancellationToken) =>
        mediator.Send(new DispatchCalculatorEventCommand(sessionId, body.Event, body.Payload, ifMatch.Version), cancellationToken);

    /// <summary>Closes and discards a session with its results and log.</summary>
    [HttpDelete("{sessionId}", Name = "DeleteCalculatorSession")]
    [Authorize(Scopes.CalculatorSessionWrite)]
    [ProducesResponseType<CalculatorSessionDeletedDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<CalculatorSessionDeletedDto> Delete(string sessionId, [FromHeader(Name = "If-Match")] IfMatch ifMatch, CancellationToken cancellationToken) =>
        mediator.Send(new DeleteCalculatorSessionCommand(sessionId, ifMatch.Version), cancellationToken);

    /// <summary>The session's accepted events, oldest first, a page at a time (<c>?page&amp;limit</c>, limit 1..100, default 100).</summary>
    [HttpGet("{sessionId}/events", Name = "ListCalculatorEvents")]
    [Authorize(Scopes.CalculatorSessionRead)]
    [ProducesResponseType<CalculatorEventLogDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<CalculatorEventLogDto> Events(string sessionId,
        [FromQuery] [Range(1, Paging.MaxPage)] int? page,
        [FromQuery] [Range(1, GetCalculatorEventsQuery.MaxLimit)] int? limit,
        CancellationToken cancellationToken) =>
        mediator.Send(new GetCalculatorEventsQuery(sessionId, page, limit), cancellationToken);
}

/// <summary>Calculation results, immutable, by id.</summary>
[ApiController]
[Route("api/v1/benefit-calculator-results")]
[Tags("CalculatorSessions")]
[Produces("application/json")]
public sealed class CalculationResultsController(IMediator mediator) : ControllerBase
{
    /// <summary>Returns a calculation's inputs and outputs.</summary>
    [HttpGet("{resultId}", Name = "GetCalculationResult")]
    [Authorize(Scopes.CalculatorSessionRead)]
    [ProducesResponseType<CalculationResultDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<CalculationResultDto> Get(string resultId, CancellationToken cancellationToken) =>
        mediator.Send(new GetCalculationResultQuery(resultId), cancellationToken);
}

/// <summary>Shared results, for anyone holding a share link: no API key.</summary>
[ApiController]
[Route("api/v1/benefit-calculator-shares")]
[Tags("CalculatorSessions")]
[Produces("application/json")]
public sealed class CalculationSharesController(IMediator mediator) : ControllerBase
{
    /// <summary>
    /// The shared result: its inputs and figures, without the organisation, mentor or session. 404 for an unknown
    /// token and for one a reset or a new calculation has cleared. Limited per client address.
    /// </summary>
    [HttpGet("{shareToken}", Name = "GetSharedCalculation")]
    [AllowAnonymous]
    [EnableRateLimiting(RateLimiting.PerAddressPolicy)]
    [ProducesResponseType<SharedCalculationDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, Problems.ContentType)]
    public Task<SharedCalculationDto> Get(string shareToken, CancellationToken cancellationToken) =>
        mediator.Send(new GetSharedCalculationQuery(shareToken), cancellationToken);
}

public sealed record OpenCalculatorSessionRequest(
    [property: MaxLength(CalculatorSession.MaxIdLength)] string? MentorId,
    [property: MaxLength(CalculatorSession.MaxIdLength)] string? OrganisationId);

public sealed record CalculatorEventRequest([property: MaxLength(CalculatorSession.MaxEventNameLength)] string? Event, JsonObject? Payload);
