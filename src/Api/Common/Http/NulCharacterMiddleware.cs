using Sessions.Api.Common.Errors;

namespace Sessions.Api.Common.Http;

/// <summary>
/// PostgreSQL text cannot hold U+0000, and no parameter of this API has a use for it: a query that
/// carries one is refused with 400 <c>nul_character</c> naming the parameter, the same on every
/// database, before anything reads it. JSON bodies are checked by <see cref="WellFormedJsonMiddleware"/>.
/// </summary>
public sealed class NulCharacterMiddleware(RequestDelegate next)
{
    // A request without one passes straight on, without an async frame of this middleware.
    public Task InvokeAsync(HttpContext context) =>
        context.Request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true ? RefuseAsync(context) : next(context);

    private static Task RefuseAsync(HttpContext context)
    {
        var parameter = context.Request.Query.FirstOrDefault(pair => pair.Key.Contains('\0', StringComparison.Ordinal)
                                                                     || pair.Value.Any(value => value?.Contains('\0', StringComparison.Ordinal) == true)).Key;
        var field = parameter is null || parameter.Contains('\0', StringComparison.Ordinal) ? "query" : parameter;
        return Problems.WriteAsync(context, Problems.Validation(
            new Dictionary<string, string[]> { [field] = [$"'{field}' must not contain the NUL character (U+0000)."] }, JsonFaults.NulCode));
    }
}
