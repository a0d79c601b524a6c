using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sessions.Api.Common.Auth;
using Sessions.Api.Common.Errors;
using Sessions.Api.Common.Http;
using Sessions.Api.Common.OpenApi;
using Sessions.Application.Common;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardRuns.Commands;
using Sessions.Application.WizardRuns.Queries;
using Sessions.Domain.Access;
using Sessions.Domain.WizardRuns;
using ValidationException = Sessions.Application.Common.Exceptions.ValidationException;

namespace Sessions.Api.WizardRuns;

/// <summary>
/// Wizard run sessions (seed 001), compatible with PostHog's wizard session API and its CLI:
/// upserts keyed by the client's session id, lists, the latest run, and a live stream.
/// </summary>
[ApiController]
[Route("api/projects/{projectId:int}/wizard/sessions")]
[Tags("WizardRuns")]
[Produces("application/json")]
public sealed class WizardRunsController(IMediator mediator) : ControllerBase
{
    /// <summary>What a stream ticket opens: one project's run stream.</summary>
    private const string StreamTicketResource = "wizard-runs/projects/{projectId}/stream";

    /// <summary>Lists the project's runs, newest start first, with the true count and page links.</summary>
    [HttpGet(Name = "ListWizardRuns")]
    [Authorize(Scopes.WizardSessionRead)]
    [ProducesResponseType<WizardRunListDto>(StatusCodes.Status200OK)]
    public async Task<WizardRunListDto> List(
        int projectId,
        [FromQuery(Name = "workflow_id")] [MaxLength(WizardRun.MaxIdLength)] string? workflowId,
        [FromQuery(Name = "skill_id")] [MaxLength(WizardRun.MaxIdLength)] string? skillId,
        [FromQuery] [Range(1, ListWizardRunsQuery.MaxLimit)] int? limit,
        [FromQuery] [Count] int? offset,
        CancellationToken cancellationToken)
    {
        var query = new ListWizardRunsQuery(projectId, workflowId, skillId, limit, offset);
        var page = await mediator.Send(query, cancellationToken);
        var (size, start) = (query.EffectiveLimit, query.EffectiveOffset);
        return new WizardRunListDto(
            page.Count,
            start + size < page.Count ? PageUrl(start + size, size, workflowId, skillId) : null,
            start > 0 ? PageUrl(Math.Max(start - size, 0), size, workflowId, skillId) : null,
            page.Results);
    }

    /// <summary>Creates (201) or replaces (200) the run with this session_id.</summary>
    [HttpPost(Name = "UpsertWizardRun")]
    [Idempotent]
    [Authorize(Scopes.WizardSessionWrite)]
    [ProducesResponseType<WizardRunDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<WizardRunDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<ActionResult<WizardRunDto>> Upsert(
        int projectId,
        [FromBody] UpsertWizardRunRequest body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken)
    {
        var upsert = await mediator.Send(new UpsertWizardRunCommand(projectId, body.SessionId, body.WorkflowId, body.SkillId,
            body.StartedAt, body.RunPhase, body.Tasks, body.EventPlan, body.Error, body.PendingInput, body.HandoffTextSent, body.HandoffText), cancellationToken);
        return upsert.Created
            ? CreatedAtAction(nameof(Get), new { projectId, sessionId = upsert.Run.SessionId }, upsert.Run)
            : Ok(upsert.Run);
    }

    /// <summary>The newest run of a workflow (and skill), or 204 when there is none.</summary>
    [HttpGet("latest", Name = "GetLatestWizardRun")]
    [Authorize(Scopes.WizardSessionRead)]
    [ProducesResponseType<WizardRunDto>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Latest(
        int projectId,
        [FromQuery(Name = "workflow_id")] [MaxLength(WizardRun.MaxIdLength)] string? workflowId,
        [FromQuery(Name = "skill_id")] [MaxLength(WizardRun.MaxIdLength)] string? skillId,
        CancellationToken cancellationToken) =>
        await mediator.Send(new GetLatestWizardRunQuery(projectId, workflowId, skillId), cancellationToken) is { } run
            ? Ok(run)
            : NoContent();

    /// <summary>
    /// Server-Sent Events: the current latest run first, then every upsert of the workflow (and skill),
    /// <c>: ping</c> while idle, and <c>event: end</c> when the stream's lifetime is over or its API key is
    /// revoked or expires. Use an EventSource, not a buffering fetch. A browser, whose EventSource cannot send
    /// an Authorization header, passes a stream ticket as <c>ticket</c> instead (authentication reads it).
    /// </summary>
    [HttpGet("stream", Name = "StreamWizardRuns")]
    [Authorize(Scopes.WizardSessionRead)]
    [AcceptsStreamTicket(StreamTicketResource)]
    [Produces("text/event-stream")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/event-stream")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, Problems.ContentType)]
    public async Task Stream(
        int projectId,
        [FromQuery(Name = "workflow_id")] [MaxLength(WizardRun.MaxIdLength)] string? workflowId,
        [FromQuery(Name = "skill_id")] [MaxLength(WizardRun.MaxIdLength)] string? skillId,
        [FromQuery(Name = AcceptsStreamTicketAttribute.QueryName)] [MaxLength(StreamTicket.TextLength)] string? ticket,
        [FromServices] WizardRunStreams streams,
        [FromServices] StreamKeyWatch keys,
        [FromServices] ICaller caller)
    {
        if (string.IsNullOrEmpty(workflowId))
        {
            throw ValidationException.For("workflow_id", "'workflow_id' is required.");
        }

        if (!caller.HasProject(projectId))
        {
            throw new NotFoundException("Project", projectId);
        }

        if (HttpMethods.IsHead(Request.Method))
        {
            // HEAD: the stream's status and headers, without opening it.
            Response.ContentType = "text/event-stream";
            Response.Headers.CacheControl = "no-cache, no-transform";
            return;
        }

        switch (streams.TryReserve(caller.KeyPrefix))
        {
            case StreamReservation.KeyAtCap:
                Response.Headers.RetryAfter = WizardRunStreams.RetryAfterSeconds;
                await Problems.WriteAsync(HttpContext, StatusCodes.Status429TooManyRequests,
                    "This API key holds as many open streams as it may; close one or retry shortly.", "stream_limit_per_key");
                return;
            case StreamReservation.ProcessAtCap:
                Response.Headers.RetryAfter = WizardRunStreams.RetryAfterSeconds;
                await Problems.WriteAsync(HttpContext, StatusCodes.Status503ServiceUnavailable,
                    "This instance serves as many streams as it can; retry shortly.", "stream_capacity");
                return;
        }

        try
        {
            using var watching = keys.Watch(caller.KeyPrefix);
            await streams.StreamAsync(HttpContext, projectId, workflowId, skillId, watching.KeyUnusable);
        }
        catch (OperationCanceledException) when (HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: the subscription is already disposed.
        }
        finally
        {
            streams.Release(caller.KeyPrefix);
        }
    }

    /// <summary>
    /// A ticket that opens this project's run stream without an Authorization header, for a browser's
    /// EventSource: pass it as the stream's <c>ticket</c> query value while it lives. It acts for this key,
    /// under the key's grants when the stream opens, and stops working when the key is revoked.
    /// </summary>
    [HttpPost("stream-tickets", Name = "CreateWizardRunStreamTicket")]
    [Authorize(Scopes.WizardSessionRead)]
    [ProducesResponseType<StreamTicketDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<ActionResult<StreamTicketDto>> CreateStreamTicket(
        int projectId,
        CancellationToken cancellationToken)
    {
        var resource = AcceptsStreamTicketAttribute.Resolve(StreamTicketResource, RouteData.Values);
        var issued = await mediator.Send(new IssueStreamTicketCommand(projectId, resource), cancellationToken);
        return StatusCode(StatusCodes.Status201Created, new StreamTicketDto(issued.Ticket, issued.ExpiresAt));
    }

    /// <summary>One run by its session_id.</summary>
    [HttpGet("{sessionId}", Name = "GetWizardRun")]
    [Authorize(Scopes.WizardSessionRead)]
    [ProducesResponseType<WizardRunDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<WizardRunDto> Get(int projectId, string sessionId, CancellationToken cancellationToken) =>
        mediator.Send(new GetWizardRunQuery(projectId, sessionId), cancellationToken);

    private string PageUrl(int offset, int limit, string? workflowId, string? skillId)
    {
        var query = new Dictionary<string, string?> { ["limit"] = limit.ToString(), ["offset"] = offset.ToString() };
        if (workflowId is not null)
        {
            query["workflow_id"] = workflowId;
        }

        if (skillId is not null)
        {
            query["skill_id"] = skillId;
        }

        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
            $"{Request.Scheme}://{Request.Host}{Request.PathBase}{Request.Path}", query);
    }
}

public sealed record WizardRunListDto(
    [property: Count] int Count,
    [property: MaxLength(WireLimits.MaxUrlLength)] string? Next,
    [property: MaxLength(WireLimits.MaxUrlLength)] string? Previous,
    [property: MaxLength(ListWizardRunsQuery.MaxLimit)] IReadOnlyList<WizardRunDto> Results);

public sealed record StreamTicketDto(
    [property: MaxLength(StreamTicket.TextLength)] string Ticket,
    DateTimeOffset ExpiresAt);

public sealed record UpsertWizardRunRequest(
    [property: MaxLength(WizardRun.MaxIdLength), RegularExpression(WizardRun.SessionIdPattern)] string? SessionId,
    [property: MaxLength(WizardRun.MaxIdLength), RegularExpression(WizardRun.WorkflowIdPattern)] string? WorkflowId,
    [property: MaxLength(WizardRun.MaxIdLength), RegularExpression(WizardRun.WorkflowIdPattern)] string? SkillId,
    DateTimeOffset? StartedAt,
    RunPhase? RunPhase,
    [property: MaxLength(WizardRun.MaxTasks)] IReadOnlyList<WizardTaskInput?>? Tasks,
    JsonObject? EventPlan,
    JsonObject? Error,
    PendingInputInput? PendingInput)
{
    private string? _handoffText;

    // A setter, not init: the generated contract (WireJsonContext) passes every init-only member to the
    // object initializer whether the body has it or not, and "omitted" would read as "sent".
    /// <summary>Omitted keeps the stored text; null clears it.</summary>
    [MaxLength(WizardRun.MaxHandoffTextLength)]
    public string? HandoffText { get => _handoffText; set => (_handoffText, HandoffTextSent) = (value, true); }

    /// <summary>Whether the body has <c>handoff_text</c> at all: the serializer sets a property only when it is present.</summary>
    [JsonIgnore]
    public bool HandoffTextSent { get; private set; }
}
