using System.ComponentModel.DataAnnotations;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Sessions.Api.Common.Errors;
using Sessions.Api.Common.Http;
using Sessions.Application.Common;
using Sessions.Application.Common.Paging;
using Sessions.Application.WizardSessions.Commands;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.Access;
using Sessions.Domain.WizardSessions;

namespace Sessions.Api.WizardSessions;

/// <summary>Form wizard sessions (seed 000): a user's walk through a catalog wizard, with answers, branching and drafts.</summary>
[ApiController]
[Route("api/v1/wizard-sessions")]
[Tags("WizardSessions")]
[Produces("application/json")]
public sealed class WizardSessionsController(IMediator mediator) : ControllerBase
{
    /// <summary>Lists the caller's in-progress sessions, most recent activity first.</summary>
    [HttpGet(Name = "ListWizardSessions")]
    [Authorize(Scopes.WizardSessionRead)]
    [ProducesResponseType<WizardSessionListDto>(StatusCodes.Status200OK)]
    public Task<WizardSessionListDto> List(
        [FromQuery] [Range(1, Paging.MaxPage)] int? page, [FromQuery] [Range(1, ListWizardSessionsQuery.MaxLimit)] int? limit, CancellationToken cancellationToken) =>
        mediator.Send(new ListWizardSessionsQuery(page, limit), cancellationToken);

    /// <summary>Starts a session of a catalog wizard for the caller.</summary>
    [HttpPost(Name = "StartWizardSession")]
    [Idempotent]
    [Authorize(Scopes.WizardSessionWrite)]
    [ProducesResponseType<WizardSessionDto>(StatusCodes.Status201Created)]
    public async Task<ActionResult<WizardSessionDto>> Start(
        [FromBody] StartWizardSessionRequest body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var session = await mediator.Send(new StartWizardSessionCommand(body.WizardId, body.UserId, body.Locale), cancellationToken);
        return CreatedAtAction(nameof(Get), new { sessionId = session.SessionId }, session);
    }

    /// <summary>Returns a session with its answers and draft.</summary>
    [HttpGet("{sessionId}", Name = "GetWizardSession")]
    [Authorize(Scopes.WizardSessionRead)]
    [ProducesResponseType<WizardSessionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<WizardSessionDto> Get(string sessionId, CancellationToken cancellationToken) =>
        mediator.Send(new GetWizardSessionQuery(sessionId), cancellationToken);

    /// <summary>Moves or saves a session: <c>action</c> is next_step, previous_step or save.</summary>
    [HttpPut("{sessionId}", Name = "UpdateWizardSession")]
    [Authorize(Scopes.WizardSessionWrite)]
    [ProducesResponseType<WizardSessionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<WizardSessionDto> Update(
        string sessionId,
        [FromBody] UpdateWizardSessionRequest body,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        CancellationToken cancellationToken) =>
        (await mediator.Send(new ActOnWizardSessionCommand(sessionId, body.Action, body.Answers, ifMatch.Version),
            cancellationToken)).Session;

    /// <summary>Saves the given answers and moves to the next visible screen; on the last one the session completes.</summary>
    [HttpPost("{sessionId}/next-step", Name = "NextWizardStep")]
    [Idempotent]
    [Authorize(Scopes.WizardSessionWrite)]
    [ProducesResponseType<WizardStepMoveDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<WizardStepMoveDto> Next(
        string sessionId,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] WizardAnswersRequest? body,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken) =>
        (await mediator.Send(new ActOnWizardSessionCommand(sessionId, WizardAction.NextStep, body?.Answers, ifMatch.Version),
            cancellationToken)).ToStepMove();

    /// <summary>Returns to the screen visited before the current one; 409 at the first screen.</summary>
    [HttpPost("{sessionId}/previous-step", Name = "PreviousWizardStep")]
    [Idempotent]
    [Authorize(Scopes.WizardSessionWrite)]
    [ProducesResponseType<WizardStepMoveDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<WizardStepMoveDto> Previous(
        string sessionId,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken) =>
        (await mediator.Send(new ActOnWizardSessionCommand(sessionId, WizardAction.PreviousStep, null, ifMatch.Version),
            cancellationToken)).ToStepMove();

    /// <summary>Saves answers as a resumable draft without moving; the draft id is stable per session.</summary>
    [HttpPost("{sessionId}/save-draft", Name = "SaveWizardDraft")]
    [Idempotent]
    [Authorize(Scopes.WizardSessionWrite)]
    [ProducesResponseType<WizardDraftSavedDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<WizardDraftSavedDto> SaveDraft(
        string sessionId,
        [FromBody] WizardAnswersRequest body,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken) =>
        mediator.Send(new SaveWizardDraftCommand(sessionId, body.Answers, ifMatch.Version), cancellationToken);

    /// <summary>Discards a session and its draft; it is 404 afterwards.</summary>
    [HttpDelete("{sessionId}", Name = "DeleteWizardSession")]
    [Authorize(Scopes.WizardSessionWrite)]
    [ProducesResponseType<WizardSessionDeletedDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<WizardSessionDeletedDto> Delete(
        string sessionId,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        CancellationToken cancellationToken) =>
        mediator.Send(new DeleteWizardSessionCommand(sessionId, ifMatch.Version), cancellationToken);
}

public sealed record StartWizardSessionRequest(
    [property: MaxLength(WizardSession.MaxIdLength)] string? WizardId,
    [property: MaxLength(WizardSession.MaxIdLength)] string? UserId,
    [property: MaxLength(WizardSession.MaxLocaleLength), RegularExpression(WizardSession.LocalePattern)] string? Locale);

/// <summary>PUT body; <c>action</c> is required (a body without it is 400).</summary>
public sealed record UpdateWizardSessionRequest(
    [property: System.Text.Json.Serialization.JsonRequired] WizardAction Action,
    IReadOnlyDictionary<string, ScreenAnswerDto>? Answers);

public sealed record WizardAnswersRequest(IReadOnlyDictionary<string, ScreenAnswerDto>? Answers);
