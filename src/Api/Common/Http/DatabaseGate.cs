using Microsoft.AspNetCore.Authorization;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.Common.Http;

/// <summary>
/// Until the startup migrations have reached the database, a request that needs it is answered 503
/// <c>database_unavailable</c> (by the exception handler, with Retry-After) before it touches a table
/// that may not exist yet. What is open to anonymous callers (health, the OpenAPI document) never
/// reads the database and is served meanwhile.
/// </summary>
public static class DatabaseGate
{
    public static IApplicationBuilder UseDatabaseGate(this IApplicationBuilder app)
    {
        var gate = app.ApplicationServices.GetRequiredService<MigrationGate>();
        return app.Use((context, next) =>
        {
            if (!gate.IsOpen && context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null)
            {
                gate.EnsureOpen();
            }

            return next(context);
        });
    }
}
