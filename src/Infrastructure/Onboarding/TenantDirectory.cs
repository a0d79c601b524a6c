using Microsoft.EntityFrameworkCore;
using Sessions.Application.Onboarding;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.Onboarding;

/// <summary>A user may work on a tenant while one of their keys is usable and grants it.</summary>
internal sealed class TenantDirectory(SessionsDbContext db, TimeProvider clock) : ITenantDirectory
{
    public async Task<bool> HasTenantGrantAsync(long userId, int tenantId, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId && k.RevokedAt == null).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return keys.Any(k => k.IsUsableAt(now) && k.Grants.Tenants.Contains(tenantId));
    }
}
