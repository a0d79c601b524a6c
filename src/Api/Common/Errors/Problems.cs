using Microsoft.AspNetCore.Mvc;
using NJsonSchema;
using Sessions.Api.Common.OpenApi;

namespace Sessions.Api.Common.Errors;

/// <summary>
/// Builds RFC 9457 problem details the same way wherever a response is refused. Type, title and
/// trace id are filled in by <see cref="IProblemDetailsService"/> when the problem is written.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    private const int MaxTitleLength = 200;
    private const int MaxDetailLength = 2000;

    /// <summary>Keeps every problem within the lengths the document promises, whatever a message quotes.</summary>
    public static void Bound(ProblemDetails problem)
    {
        problem.Title = Truncate(problem.Title, MaxTitleLength);
        problem.Detail = Truncate(problem.Detail, MaxDetailLength);
        problem.Type = Truncate(problem.Type, WireLimits.MaxUrlLength);
        problem.Instance = Truncate(problem.Instance, WireLimits.MaxUrlLength);
    }

    /// <summary>States <see cref="Bound"/>'s limits in the document's ProblemDetails schema.</summary>
    public static void DescribeLimits(JsonSchema schema)
    {
        foreach (var (name, maxLength) in new[]
                 {
                     ("title", MaxTitleLength), ("detail", MaxDetailLength), ("type", WireLimits.MaxUrlLength), ("instance", WireLimits.MaxUrlLength),
                 })
        {
            if (schema.Properties.TryGetValue(name, out var property))
            {
                property.MaxLength = maxLength;
            }
        }

        if (schema.Properties.TryGetValue("status", out var status))
        {
            status.Minimum = 100;
            status.Maximum = 599;
        }
    }

    /// <summary>
    /// Every problem names the W3C trace id of its request as <c>trace_id</c>, the id the request's
    /// spans and log lines carry (and an incoming <c>traceparent</c> set), instead of the framework's
    /// <c>traceId</c>, which is the whole <c>traceparent</c>-style activity id.
    /// </summary>
    public static void Trace(ProblemDetails problem, string? traceId)
    {
        problem.Extensions.Remove("traceId");
        if (traceId is not null)
        {
            problem.Extensions["trace_id"] = traceId;
        }
    }

    private static string? Truncate(string? text, int maxLength) => text is null || text.Length <= maxLength ? text : text[..maxLength];

    public static ProblemDetails Create(int status, string? detail, string? code = null)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail };
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        return problem;
    }

    public static HttpValidationProblemDetails Validation(IDictionary<string, string[]> errors, string? code = null)
    {
        var problem = new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest };
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        return problem;
    }

    public static IActionResult Result(int status, string? detail, string? code = null) =>
        new ProblemResult(Create(status, detail, code));

    public static Task WriteAsync(HttpContext context, int status, string detail, string? code = null) =>
        WriteAsync(context, Create(status, detail, code));

    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>
    /// The response MVC gives for input that cannot be bound: a body that does not fit its type (keyed by
    /// wire path, <see cref="Json.WireJsonInputFormatter"/>), a bad UUID or number in the path or query.
    /// </summary>
    public static IActionResult InvalidModelState(ActionContext context) =>
        new ProblemResult(Validation(context.ModelState
            .Where(entry => entry.Value is { Errors.Count: > 0 })
            .ToDictionary(
                entry => entry.Key,
                entry => entry.Value!.Errors
                    .Select(error => string.IsNullOrEmpty(error.ErrorMessage) ? $"'{entry.Key}' is not a valid value here." : error.ErrorMessage)
                    .Distinct()
                    .ToArray())));

    /// <summary>
    /// Writes through <see cref="IProblemDetailsService"/> rather than content negotiation, so a
    /// problem is always <c>application/problem+json</c> whatever the action produces.
    /// </summary>
    public sealed class ProblemResult(ProblemDetails problem) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => WriteAsync(context.HttpContext, problem);
    }
}
