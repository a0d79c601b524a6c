using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardRuns.Specifications;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns;

/// <summary>Runs of the caller's projects: a project outside the key's grants looks exactly like a project without runs.</summary>
public sealed class WizardRunAccess(IRepository<WizardRun> runs, ICaller caller)
{
    public bool MaySee(int projectId) => caller.HasProject(projectId);

    /// <summary>404 for a run of a project the caller may not see.</summary>
    public void EnsureProject(int projectId, string sessionId)
    {
        if (!MaySee(projectId))
        {
            throw NotFound(sessionId);
        }
    }

    public async Task<WizardRun> LoadAsync(int projectId, string sessionId, CancellationToken cancellationToken)
    {
        EnsureProject(projectId, sessionId);
        return await runs.FirstOrDefaultAsync(new WizardRunBySessionSpec(projectId, sessionId), cancellationToken) ?? throw NotFound(sessionId);
    }

    /// <summary>The run to replace, or null when the push creates it (pushes are upserts: they name no version).</summary>
    public Task<WizardRun?> FindForUpdateAsync(int projectId, string sessionId, CancellationToken cancellationToken)
    {
        EnsureProject(projectId, sessionId);
        return runs.GetForUpdateAsync(new WizardRunBySessionSpec(projectId, sessionId), expectedVersion: null, cancellationToken);
    }

    private static NotFoundException NotFound(string sessionId) => new("Wizard session", sessionId);
}
