using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Sessions.Api.Common.Errors;

/// <summary>Builds RFC 9457 problem details the same way wherever a response is refused.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ProblemDetails Create(HttpContext context, int status, string? detail, string? code = null)
    {
        var factory = context.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        var problem = factory.CreateProblemDetails(context, status, detail: detail);
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        return problem;
    }

    public static ValidationProblemDetails Validation(HttpContext context, IReadOnlyDictionary<string, string[]> errors, string? code = null)
    {
        var factory = context.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        var modelState = new ModelStateDictionary();
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                modelState.AddModelError(field, message);
            }
        }

        var problem = factory.CreateValidationProblemDetails(context, modelState, StatusCodes.Status400BadRequest);
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        return problem;
    }

    public static IActionResult Result(HttpContext context, int status, string? detail, string? code = null) =>
        new ProblemResult(Create(context, status, detail, code));

    public static async Task WriteAsync(HttpContext context, int status, string detail, string? code = null)
    {
        context.Response.StatusCode = status;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = Create(context, status, detail, code) });
    }

    /// <summary>The response MVC gives for input that cannot be bound (malformed JSON, a bad UUID or number).</summary>
    public static IActionResult InvalidModelState(ActionContext context)
    {
        var factory = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        return new ProblemResult(factory.CreateValidationProblemDetails(context.HttpContext, context.ModelState, StatusCodes.Status400BadRequest));
    }

    /// <summary>
    /// Writes through <see cref="IProblemDetailsService"/> rather than content negotiation, so a
    /// problem is always <c>application/problem+json</c> whatever the action produces.
    /// </summary>
    public sealed class ProblemResult(ProblemDetails problem) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            context.HttpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
            var writer = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
        }
    }
}
