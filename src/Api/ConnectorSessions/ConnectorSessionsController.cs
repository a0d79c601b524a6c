using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Sessions.Api.Common.Errors;
using Sessions.Api.Common.Http;
using Sessions.Application.Common;
using Sessions.Application.ConnectorSessions.Commands;
using Sessions.Application.ConnectorSessions.Queries;
using Sessions.Domain.Access;

namespace Sessions.Api.ConnectorSessions;

/// <summary>Connector-generation sessions (seed 003): a free-form JSON object per session, camelCase on the wire.</summary>
[ApiController]
[Route("api/v1/session")]
[Tags("ConnectorSessions")]
[Produces("application/json")]
public sealed class ConnectorSessionsController(IMediator mediator) : ControllerBase
{
    /// <summary>Creates a session with a new id (and the given data, or an empty object).</summary>
    [HttpPost(Name = "CreateConnectorSession")]
    [Idempotent]
    [Authorize(Scopes.ConnectorSessionWrite)]
    [ProducesResponseType<ConnectorSessionMessageDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<ActionResult<ConnectorSessionMessageDto>> Create(
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ConnectorSessionDataRequest? body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var created = await mediator.Send(new CreateConnectorSessionCommand(null, body?.Data), cancellationToken);
        return CreatedAtAction(nameof(Get), new { sessionId = created.SessionId }, created);
    }

    /// <summary>Creates a session with the caller's UUID; 409 if the caller already has it.</summary>
    [HttpPost("{sessionId}", Name = "CreateConnectorSessionWithId")]
    [Idempotent]
    [Authorize(Scopes.ConnectorSessionWrite)]
    [ProducesResponseType<ConnectorSessionMessageDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public async Task<ActionResult<ConnectorSessionMessageDto>> CreateWithId(
        Guid sessionId,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ConnectorSessionDataRequest? body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var created = await mediator.Send(new CreateConnectorSessionCommand(sessionId, body?.Data), cancellationToken);
        return CreatedAtAction(nameof(Get), new { sessionId = created.SessionId }, created);
    }

    /// <summary>Lists the caller's sessions, newest first.</summary>
    [HttpGet(Name = "ListConnectorSessions")]
    [Authorize(Scopes.ConnectorSessionRead)]
    [ProducesResponseType<ConnectorSessionListDto>(StatusCodes.Status200OK)]
    public Task<ConnectorSessionListDto> List(
        [FromQuery] [Range(1, ListConnectorSessionsQuery.MaxLimit)] int? limit, [FromQuery] [Count] int? offset, CancellationToken cancellationToken) =>
        mediator.Send(new ListConnectorSessionsQuery(limit, offset), cancellationToken);

    /// <summary>Returns a session with its data.</summary>
    [HttpGet("{sessionId}", Name = "GetConnectorSession")]
    [Authorize(Scopes.ConnectorSessionRead)]
    [ProducesResponseType<ConnectorSessionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<ConnectorSessionDto> Get(Guid sessionId, CancellationToken cancellationToken) =>
        mediator.Send(new GetConnectorSessionQuery(sessionId), cancellationToken);

    /// <summary>Tells whether a session exists: 204 with its ETag, or 404.</summary>
    [HttpHead("{sessionId}", Name = "ConnectorSessionExists")]
    [Authorize(Scopes.ConnectorSessionRead)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Exists(Guid sessionId, CancellationToken cancellationToken)
    {
        var session = await mediator.Send(new GetConnectorSessionQuery(sessionId), cancellationToken);
        Response.Headers.ETag = ETags.Format(session.Version);
        return NoContent();
    }

    /// <summary>Merges the given top-level keys into the session's data; other keys are kept.</summary>
    [HttpPatch("{sessionId}", Name = "UpdateConnectorSession")]
    [Authorize(Scopes.ConnectorSessionWrite)]
    [ProducesResponseType<ConnectorSessionMessageDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<ConnectorSessionMessageDto> Update(
        Guid sessionId,
        [FromBody] ConnectorSessionDataRequest body,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        CancellationToken cancellationToken) =>
        mediator.Send(new ChangeConnectorSessionDataCommand(sessionId, body.Data, DataChange.Merge, ifMatch.Version),
            cancellationToken);

    /// <summary>Replaces the session's data whole.</summary>
    [HttpPut("{sessionId}", Name = "ReplaceConnectorSession")]
    [Authorize(Scopes.ConnectorSessionWrite)]
    [ProducesResponseType<ConnectorSessionMessageDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<ConnectorSessionMessageDto> Replace(
        Guid sessionId,
        [FromBody] ConnectorSessionDataRequest body,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        CancellationToken cancellationToken) =>
        mediator.Send(new ChangeConnectorSessionDataCommand(sessionId, body.Data, DataChange.Replace, ifMatch.Version),
            cancellationToken);

    /// <summary>Deletes a session; it is 404 afterwards.</summary>
    [HttpDelete("{sessionId}", Name = "DeleteConnectorSession")]
    [Authorize(Scopes.ConnectorSessionWrite)]
    [ProducesResponseType<ConnectorSessionMessageDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<ConnectorSessionMessageDto> Delete(
        Guid sessionId,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        CancellationToken cancellationToken) =>
        mediator.Send(new DeleteConnectorSessionCommand(sessionId, ifMatch.Version), cancellationToken);
}

/// <summary>The body of create, update and replace.</summary>
public sealed record ConnectorSessionDataRequest([property: JsonPropertyName("data")] JsonObject? Data);
