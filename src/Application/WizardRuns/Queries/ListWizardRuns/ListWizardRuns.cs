using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.WizardRuns.Specifications;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Queries;

public sealed record ListWizardRunsQuery(int ProjectId, string? WorkflowId, string? SkillId, int? Limit, int? Offset) : IQuery<WizardRunPage>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public int EffectiveLimit => Paging.ClampLimit(Limit, DefaultLimit, MaxLimit);
    public int EffectiveOffset => Paging.ClampOffset(Offset);
}

public sealed class ListWizardRunsQueryHandler(IReadRepository<WizardRun> runs, WizardRunAccess access, IMapper mapper)
    : IRequestHandler<ListWizardRunsQuery, WizardRunPage>
{
    public async Task<WizardRunPage> Handle(ListWizardRunsQuery request, CancellationToken cancellationToken)
    {
        if (!access.MaySee(request.ProjectId))
        {
            return new WizardRunPage(0, []);
        }

        var specification = new WizardRunsSpec(request.ProjectId, request.WorkflowId, request.SkillId, request.EffectiveOffset, request.EffectiveLimit);
        var found = await runs.ListAsync(specification, cancellationToken);
        var count = await runs.CountAsync(specification, cancellationToken);
        return new WizardRunPage(count, mapper.Map<List<WizardRunDto>>(found));
    }
}
