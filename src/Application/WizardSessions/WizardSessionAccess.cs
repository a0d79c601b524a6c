using Microsoft.Extensions.Options;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardSessions.Specifications;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions;

/// <summary>A caller's session as a use case needs it: its wizard, the time, and the inactivity rule applied.</summary>
public sealed record LoadedWizardSession(WizardSession Session, WizardDefinition Wizard, DateTimeOffset Now);

/// <summary>
/// Loads the caller's session (another user's is not found, exactly like a missing one) and applies the
/// inactivity rule, so every use case sees the same session the same way.
/// </summary>
public sealed class WizardSessionAccess(
    IRepository<WizardSession> sessions,
    ICaller caller,
    IWizardCatalog catalog,
    TimeProvider clock,
    IOptions<WizardSessionsOptions> options)
{
    public async Task<LoadedWizardSession> LoadAsync(string sessionId, CancellationToken cancellationToken) =>
        Loaded(await sessions.FirstOrDefaultAsync(new WizardSessionByIdSpec(caller.UserId, sessionId), cancellationToken)
               ?? throw NotFound(sessionId));

    /// <summary>The session to change, at the version the client named (412 otherwise).</summary>
    public async Task<LoadedWizardSession> LoadForUpdateAsync(string sessionId, long? expectedVersion, CancellationToken cancellationToken) =>
        Loaded(await sessions.GetForUpdateAsync(new WizardSessionByIdSpec(caller.UserId, sessionId), expectedVersion, cancellationToken)
               ?? throw NotFound(sessionId));

    private LoadedWizardSession Loaded(WizardSession session)
    {
        var now = clock.GetUtcNow();
        session.AbandonIfInactive(now, options.Value.AbandonAfter);
        return new LoadedWizardSession(session, catalog.WizardOf(session), now);
    }

    private static NotFoundException NotFound(string sessionId) => new("Wizard session", sessionId);

    /// <summary>Sessions whose last activity is before this are abandoned.</summary>
    public DateTimeOffset ActiveSince => clock.GetUtcNow() - options.Value.AbandonAfter;
}
