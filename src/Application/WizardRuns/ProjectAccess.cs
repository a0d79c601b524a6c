using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Security;

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
