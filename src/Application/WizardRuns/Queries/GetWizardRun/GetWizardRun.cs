using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardRuns.Specifications;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Queries;

internal static class ProjectAccess
{
    /// <summary>A project outside the key's grants looks exactly like a project without runs.</summary>
    public static void EnsureProject(this ICaller caller, int projectId, string sessionId)
    {
        if (!caller.HasProject(projectId))
        {
            throw new NotFoundException("Wizard session", sessionId);
        }
    }
}

public sealed record GetWizardRunQuery(int ProjectId, string SessionId) : IQuery<WizardRunDto>;

public sealed class GetWizardRunQueryHandler(IReadRepository<WizardRun> runs, ICaller caller, WizardRunViews views)
    : IRequestHandler<GetWizardRunQuery, WizardRunDto>
{
    public async Task<WizardRunDto> Handle(GetWizardRunQuery request, CancellationToken cancellationToken)
    {
        caller.EnsureProject(request.ProjectId, request.SessionId);
        var run = await runs.FirstOrDefaultAsync(new WizardRunBySessionSpec(request.ProjectId, request.SessionId), cancellationToken)
                  ?? throw new NotFoundException("Wizard session", request.SessionId);
        return views.ToDto(run);
    }
}

/// <summary>The newest run of a workflow (and skill), or null when there is none.</summary>
public sealed record GetLatestWizardRunQuery(int ProjectId, string? WorkflowId, string? SkillId) : IQuery<WizardRunDto?>;

public sealed class GetLatestWizardRunQueryHandler(IReadRepository<WizardRun> runs, ICaller caller, WizardRunViews views)
    : IRequestHandler<GetLatestWizardRunQuery, WizardRunDto?>
{
    public async Task<WizardRunDto?> Handle(GetLatestWizardRunQuery request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.WorkflowId))
        {
            throw ValidationException.For("workflow_id", "'workflow_id' is required.");
        }

        if (!caller.HasProject(request.ProjectId))
        {
            return null;
        }

        var run = await runs.FirstOrDefaultAsync(new WizardRunsSpec(request.ProjectId, request.WorkflowId, request.SkillId, 0, 1), cancellationToken);
        return run is null ? null : views.ToDto(run);
    }
}

public sealed record ListWizardRunsQuery(int ProjectId, string? WorkflowId, string? SkillId, int? Limit, int? Offset) : IQuery<WizardRunPage>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public int EffectiveLimit => Paging.ClampLimit(Limit, DefaultLimit, MaxLimit);
    public int EffectiveOffset => Paging.ClampOffset(Offset);
}

public sealed class ListWizardRunsQueryHandler(IReadRepository<WizardRun> runs, ICaller caller, WizardRunViews views)
    : IRequestHandler<ListWizardRunsQuery, WizardRunPage>
{
    public async Task<WizardRunPage> Handle(ListWizardRunsQuery request, CancellationToken cancellationToken)
    {
        if (!caller.HasProject(request.ProjectId))
        {
            return new WizardRunPage(0, []);
        }

        var specification = new WizardRunsSpec(request.ProjectId, request.WorkflowId, request.SkillId, request.EffectiveOffset, request.EffectiveLimit);
        var found = await runs.ListAsync(specification, cancellationToken);
        var count = await runs.CountAsync(specification, cancellationToken);
        return new WizardRunPage(count, found.Select(views.ToDto).ToList());
    }
}
