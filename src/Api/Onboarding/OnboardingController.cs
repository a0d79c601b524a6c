using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sessions.Api.Common.Errors;
using Sessions.Api.Common.Http;
using Sessions.Api.Common.OpenApi;
using Sessions.Application.Common;
using Sessions.Application.Onboarding;
using Sessions.Application.Onboarding.Commands;
using Sessions.Application.Onboarding.Queries;
using Sessions.Domain.Access;
using Sessions.Domain.Onboarding;

namespace Sessions.Api.Onboarding;

/// <summary>Managed tenant onboarding (seed 004): provider connections, the onboarding session, task runs and evidence.</summary>
[ApiController]
[Route("tenants/{tenantId}")]
[Tags("Onboarding")]
[Produces("application/json")]
public sealed class OnboardingController(IMediator mediator) : ControllerBase
{
    /// <summary>Registers how to reach the tenant's provider; the client secret is write-only.</summary>
    [HttpPost("provider-connections", Name = "RegisterProviderConnection")]
    [Idempotent]
    [Authorize(Scopes.OnboardingWrite)]
    [ProducesResponseType<ProviderConnectionDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<ActionResult<ProviderConnectionDto>> RegisterConnection(
        int tenantId,
        [FromBody] ProviderConnectionRequest body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        CancellationToken cancellationToken) =>
        StatusCode(StatusCodes.Status201Created, await mediator.Send(new RegisterProviderConnectionCommand(
            tenantId, body.DisplayName, body.BaseUrl, body.AuthMode, body.ClientId, body.ClientSecret), cancellationToken));

    /// <summary>The tenant's provider connections, without secrets, oldest first (<c>?limit</c> 1..100, default 100, <c>&amp;offset</c>).</summary>
    [HttpGet("provider-connections", Name = "ListProviderConnections")]
    [Authorize(Scopes.OnboardingRead)]
    [ListLimit(ListProviderConnectionsQuery.MaxLimit)]
    [ProducesResponseType<IReadOnlyList<ProviderConnectionDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<IReadOnlyList<ProviderConnectionDto>> ListConnections(
        int tenantId, [FromQuery] [Range(1, ListProviderConnectionsQuery.MaxLimit)] int? limit, [FromQuery] [Count] int? offset, CancellationToken cancellationToken) =>
        mediator.Send(new ListProviderConnectionsQuery(tenantId, limit, offset), cancellationToken);

    /// <summary>The active onboarding session (draft or in progress), or <c>{"session": null}</c>.</summary>
    [HttpGet("onboarding/session", Name = "GetOnboardingSession")]
    [Authorize(Scopes.OnboardingRead)]
    [ProducesResponseType<OnboardingSessionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<OnboardingSessionResponse> GetSession(int tenantId, CancellationToken cancellationToken) =>
        mediator.Send(new GetOnboardingSessionQuery(tenantId), cancellationToken);

    /// <summary>Creates the tenant's onboarding session, or resumes the active one.</summary>
    [HttpPost("onboarding/session", Name = "StartOnboardingSession")]
    [Idempotent]
    [Authorize(Scopes.OnboardingWrite)]
    [ProducesResponseType<OnboardingSessionDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<ActionResult<OnboardingSessionDto>> StartSession(
        int tenantId, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken) =>
        StatusCode(StatusCodes.Status201Created, await mediator.Send(new StartOnboardingSessionCommand(tenantId), cancellationToken));

    /// <summary>Moves, assigns, completes or abandons the session; the caller takes its lock (409 while another user's is fresh, unless takeover).</summary>
    [HttpPatch("onboarding/session/{sessionId}", Name = "UpdateOnboardingSession")]
    [Authorize(Scopes.OnboardingWrite)]
    [ProducesResponseType<OnboardingSessionDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, Problems.ContentType)]
    public Task<OnboardingSessionDto> UpdateSession(
        int tenantId,
        long sessionId,
        [FromBody] UpdateOnboardingSessionRequest body,
        [FromHeader(Name = "If-Match")] IfMatch ifMatch,
        CancellationToken cancellationToken) =>
        mediator.Send(new UpdateOnboardingSessionCommand(tenantId, sessionId, body.CurrentStep, body.AssignedToUserId,
            body.Unassigns, body.ProviderConnectionId, body.Status, body.Takeover ?? false, ifMatch.Version), cancellationToken);

    /// <summary>One summary per catalog task from its latest evidence.</summary>
    [HttpGet("onboarding/tasks", Name = "ListOnboardingTasks")]
    [Authorize(Scopes.OnboardingRead)]
    [ListLimit(IOnboardingTaskCatalog.MaxTasks)]
    [ProducesResponseType<IReadOnlyList<OnboardingTaskSummaryDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<IReadOnlyList<OnboardingTaskSummaryDto>> ListTasks(int tenantId, CancellationToken cancellationToken) =>
        mediator.Send(new ListOnboardingTasksQuery(tenantId), cancellationToken);

    /// <summary>Starts a catalog task (or returns its run already queued or running).</summary>
    [HttpPost("onboarding/tasks/{taskType}/runs", Name = "StartOnboardingTaskRun")]
    [Idempotent]
    [Authorize(Scopes.OnboardingWrite)]
    [ProducesResponseType<OperationRunLinkDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public async Task<ActionResult<OperationRunLinkDto>> StartRun(
        int tenantId, string taskType, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        var runId = await mediator.Send(new StartOnboardingTaskRunCommand(tenantId, taskType), cancellationToken);
        // Absolute, from the request's scheme and host (behind a known proxy, the public ones).
        var url = Url.RouteUrl("GetOperationRun", new { tenantId, runId }, Request.Scheme, Request.Host.ToUriComponent())!;
        return CreatedAtRoute("GetOperationRun", new { tenantId, runId }, new OperationRunLinkDto(runId, url));
    }

    /// <summary>Evidence, newest first, optionally of one task type (<c>?limit</c> 1..100, default 100, <c>&amp;offset</c>).</summary>
    [HttpGet("onboarding/evidence", Name = "ListOnboardingEvidence")]
    [Authorize(Scopes.OnboardingRead)]
    [ListLimit(ListOnboardingEvidenceQuery.MaxLimit)]
    [ProducesResponseType<IReadOnlyList<OnboardingEvidenceDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<IReadOnlyList<OnboardingEvidenceDto>> ListEvidence(
        int tenantId,
        [FromQuery] [MaxLength(OperationRun.MaxTaskTypeLength)] string? taskType,
        [FromQuery] [Range(1, ListOnboardingEvidenceQuery.MaxLimit)] int? limit,
        [FromQuery] [Count] int? offset,
        CancellationToken cancellationToken) =>
        mediator.Send(new ListOnboardingEvidenceQuery(tenantId, taskType, limit, offset), cancellationToken);

    /// <summary>A run's status and result.</summary>
    [HttpGet("operation-runs/{runId}", Name = "GetOperationRun")]
    [Authorize(Scopes.OnboardingRead)]
    [ProducesResponseType<OperationRunDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, Problems.ContentType)]
    public Task<OperationRunDto> GetRun(int tenantId, long runId, CancellationToken cancellationToken) =>
        mediator.Send(new GetOperationRunQuery(tenantId, runId), cancellationToken);
}

public sealed record ProviderConnectionRequest(
    [property: MaxLength(ProviderConnection.MaxTextLength)] string? DisplayName,
    [property: MaxLength(ProviderConnection.MaxBaseUrlLength), Url] string? BaseUrl,
    [property: MaxLength(ProviderConnection.MaxAuthModeLength)] string? AuthMode,
    [property: MaxLength(ProviderConnection.MaxTextLength)] string? ClientId,
    [property: MinLength(ProviderConnection.MinSecretLength), MaxLength(ProviderConnection.MaxSecretLength)] string? ClientSecret);

public sealed record UpdateOnboardingSessionRequest(
    [property: Range(OnboardingSession.FirstStep, OnboardingSession.LastStep)] int? CurrentStep,
    bool? Unassign,
    [property: SequenceId] long? ProviderConnectionId,
    OnboardingStatus? Status,
    bool? Takeover)
{
    private long? _assignedToUserId;

    // A setter, not init: the generated contract (WireJsonContext) passes every init-only member to the
    // object initializer whether the body has it or not, and "omitted" would read as "sent".
    /// <summary>A user id assigns the session; <c>null</c> unassigns it; omitted leaves the assignee as it is.</summary>
    [SequenceId]
    public long? AssignedToUserId { get => _assignedToUserId; set => (_assignedToUserId, AssignedToUserIdSent) = (value, true); }

    /// <summary>Whether the body has <c>assigned_to_user_id</c> at all: the serializer sets a property only when it is present.</summary>
    [JsonIgnore]
    public bool AssignedToUserIdSent { get; private set; }

    /// <summary><c>assigned_to_user_id: null</c>, or the older <c>unassign: true</c>, which clients written for it still send.</summary>
    [JsonIgnore]
    public bool Unassigns => Unassign == true || (AssignedToUserIdSent && AssignedToUserId is null);
}
