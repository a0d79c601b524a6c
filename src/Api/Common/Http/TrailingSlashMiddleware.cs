namespace Sessions.Api.Common.Http;

/// <summary>Django-style clients (the PostHog wizard among them) end paths with '/': route them as if they did not.</summary>
public sealed class TrailingSlashMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is { Length: > 1 } && path[^1] == '/')
        {
            context.Request.Path = new PathString(path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/");
        }

        return next(context);
    }
}
