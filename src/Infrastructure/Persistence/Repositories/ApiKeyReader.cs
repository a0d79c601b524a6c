using Microsoft.EntityFrameworkCore;
using Sessions.Application.Access;
using Sessions.Domain.Access;

namespace Sessions.Infrastructure.Persistence.Repositories;

internal sealed class ApiKeyReader(SessionsDbContext db) : IApiKeyReader
{
    public async Task<(ApiKey Key, string Handle)?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking()
            .Include(k => k.Owner)
            .FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        return key is null ? null : (key, key.Owner!.Handle);
    }
}
