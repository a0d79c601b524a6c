using AutoMapper;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Application.WizardRuns.Queries;
using Sessions.Application.WizardRuns.Specifications;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns;

/// <summary>
/// The reads behind live stream frames, shared by every stream of the process that shows the same
/// change. They are made for no caller: the stream checked its key's grant once, when it opened, and a
/// shared read must not depend on the request of whichever stream happened to start it (that request
/// may end while the read is under way, and the other streams still need its result).
/// </summary>
public interface IWizardRunStreamReads
{
    /// <summary>
    /// The latest run of the workflow (and skill), from a read that began after <paramref name="subscribedAt"/>
    /// (a <see cref="System.Diagnostics.Stopwatch"/> timestamp taken once the stream subscribed), or null when there is none.
    /// </summary>
    Task<WizardRunDto?> GetLatestAsync(int projectId, string workflowId, string? skillId, long subscribedAt);

    /// <summary>The run as read at or after the change stamped <paramref name="delivery"/>, so it shows that change or a later one.</summary>
    Task<WizardRunDto> GetAsync(int projectId, string sessionId, long delivery);
}

/// <summary>One read of a project's run without a caller: what <see cref="IWizardRunStreamReads"/> shares.</summary>
public interface IWizardRunReader
{
    Task<WizardRunDto?> FindLatestAsync(int projectId, string workflowId, string? skillId, CancellationToken cancellationToken);

    Task<WizardRunDto> GetAsync(int projectId, string sessionId, CancellationToken cancellationToken);
}

public sealed class WizardRunReader(IReadRepository<WizardRun> runs, IMapper mapper) : IWizardRunReader
{
    public async Task<WizardRunDto?> FindLatestAsync(int projectId, string workflowId, string? skillId, CancellationToken cancellationToken) =>
        await runs.FirstOrDefaultAsync(new WizardRunsSpec(projectId, workflowId, skillId, 0, 1), cancellationToken) is { } run
            ? mapper.Map<WizardRunDto>(run)
            : null;

    public async Task<WizardRunDto> GetAsync(int projectId, string sessionId, CancellationToken cancellationToken) =>
        mapper.Map<WizardRunDto>(await runs.FirstOrDefaultAsync(new WizardRunBySessionSpec(projectId, sessionId), cancellationToken)
                                 ?? throw new NotFoundException("Wizard session", sessionId));
}
