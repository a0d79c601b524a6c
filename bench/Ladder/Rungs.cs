using System.Text.Json;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.Access;

namespace Sessions.Bench.Ladder;

/// <summary>Rung mvc: the floor's key check and SQL behind an MVC action, answering the service's DTO through MVC's JSON output.</summary>
[ApiController]
[Route("api/v1/wizard-sessions")]
[Produces("application/json")]
public sealed class MvcRungController(KeyCache keys, Store store, Wizard wizard) : ControllerBase
{
    [HttpGet("{sessionId}")]
    public async Task<ActionResult<WizardSessionDto>> Get(string sessionId)
    {
        // The floor's key check writes its own refusal.
        if (await keys.AuthenticateAsync(HttpContext, Scopes.WizardSessionRead) is not { } caller)
        {
            return new EmptyResult();
        }

        return await FloorSessions.AnswerAsync(HttpContext, store, wizard, sessionId, caller.UserId);
    }
}

/// <summary>Rung auth: as mvc, with the service's API key authentication, per-key rate limit and scope policy instead of the floor's key check.</summary>
[ApiController]
[Route("api/v1/wizard-sessions")]
[Produces("application/json")]
public sealed class AuthRungController(ICaller caller, Store store, Wizard wizard) : ControllerBase
{
    [HttpGet("{sessionId}")]
    [Authorize(Scopes.WizardSessionRead)]
    public Task<ActionResult<WizardSessionDto>> Get(string sessionId) =>
        FloorSessions.AnswerAsync(HttpContext, store, wizard, sessionId, caller.UserId);
}

/// <summary>Rung mediatr: as auth, with the read sent through the service's mediator and its pipeline behaviours.</summary>
[ApiController]
[Route("api/v1/wizard-sessions")]
[Produces("application/json")]
public sealed class MediatrRungController(IMediator mediator) : ControllerBase
{
    [HttpGet("{sessionId}")]
    [Authorize(Scopes.WizardSessionRead)]
    public Task<WizardSessionDto> Get(string sessionId, CancellationToken cancellationToken) =>
        mediator.Send(new FloorWizardSessionQuery(sessionId), cancellationToken);
}

/// <summary>A query the service does not have: the floor's SQL as a MediatR handler.</summary>
public sealed record FloorWizardSessionQuery(string SessionId) : IQuery<WizardSessionDto>;

public sealed class FloorWizardSessionQueryHandler(ICaller caller, Store store, Wizard wizard) : IRequestHandler<FloorWizardSessionQuery, WizardSessionDto>
{
    public async Task<WizardSessionDto> Handle(FloorWizardSessionQuery request, CancellationToken cancellationToken) =>
        await FloorSessions.ReadAsync(store, wizard, request.SessionId, caller.UserId)
        ?? throw new NotFoundException("Wizard session", request.SessionId);
}

/// <summary>Rung ef: as mediatr, with the service's own query and handler (EF Core repository and specification, AutoMapper).</summary>
[ApiController]
[Route("api/v1/wizard-sessions")]
[Produces("application/json")]
public sealed class EfRungController(IMediator mediator) : ControllerBase
{
    [HttpGet("{sessionId}")]
    [Authorize(Scopes.WizardSessionRead)]
    public Task<WizardSessionDto> Get(string sessionId, CancellationToken cancellationToken) =>
        mediator.Send(new GetWizardSessionQuery(sessionId), cancellationToken);
}

/// <summary>The floor's read of a caller's session, as the service's response type.</summary>
internal static class FloorSessions
{
    public static async Task<WizardSessionDto?> ReadAsync(Store store, Wizard wizard, string sessionId, long userId)
    {
        await using var connection = await store.OpenAsync();
        return await WizardRow.ReadAsync(store, connection, sessionId, userId) is { } row ? ToDto(row, wizard) : null;
    }

    /// <summary>The session, or the floor's 404 written and nothing more.</summary>
    public static async Task<ActionResult<WizardSessionDto>> AnswerAsync(HttpContext http, Store store, Wizard wizard, string sessionId, long userId)
    {
        if (await ReadAsync(store, wizard, sessionId, userId) is { } session)
        {
            return session;
        }

        await Reply.NotFoundAsync(http);
        return new EmptyResult();
    }

    /// <summary>By hand, as the floor writes its JSON: the same fields as the service's AutoMapper profile.</summary>
    private static WizardSessionDto ToDto(WizardRow row, Wizard wizard)
    {
        var inProgress = row.Status == "InProgress";
        return new WizardSessionDto
        {
            SessionId = row.Id,
            WizardId = row.WizardId,
            UserId = row.UserHandle,
            Locale = row.Locale,
            CurrentStepIndex = wizard.StepIndex(row),
            TotalSteps = wizard.VisibleScreens(row.Answers).Count,
            CurrentScreenId = inProgress ? row.CurrentScreenId : null,
            Status = inProgress ? "in_progress" : row.Status.ToLowerInvariant(),
            Answers = Answers(row.Answers),
            Draft = row.DraftId is null ? null : new WizardDraftDto(row.DraftId, row.DraftStepIndex ?? 0, Utc(row.DraftSavedAt!.Value)),
            StartedAt = Utc(row.StartedAt),
            LastActivityAt = Utc(row.LastActivityAt),
            UpdatedAt = Utc(row.LastActivityAt),
            CompletedAt = row.CompletedAt is { } completed ? Utc(completed) : null,
            Version = row.Version,
        };
    }

    private static Dictionary<string, ScreenAnswerDto> Answers(string json)
    {
        using var answers = JsonDocument.Parse(json);
        return answers.RootElement.EnumerateObject().ToDictionary(
            screen => screen.Name,
            screen => new ScreenAnswerDto([.. screen.Value.GetProperty("chosen").EnumerateArray().Select(option => option.GetString()!)]));
    }

    private static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
