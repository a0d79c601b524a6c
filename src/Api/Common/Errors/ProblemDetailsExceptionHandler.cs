using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Sessions.Application.Common.Exceptions;
using Sessions.Domain.Common;

namespace Sessions.Api.Common.Errors;

/// <summary>The one place where an exception becomes an HTTP status and a problem-details body.</summary>
public sealed class ProblemDetailsExceptionHandler(
    IProblemDetailsService writer,
    ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            context.Response.StatusCode = 499;
            return true;
        }

        var problem = Describe(context, exception);
        if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled {Exception} on {Method} {Path}", exception.GetType().Name,
                context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Describe(HttpContext context, Exception exception)
    {
        switch (exception)
        {
            case ValidationException validation:
                return Validation(context, validation.Errors.ToDictionary(), code: null);
            case RuleViolationException rule:
                return Validation(context, new Dictionary<string, string[]> { [rule.Field] = [rule.Message] }, rule.Code);
            case NotFoundException:
                return Problem(context, StatusCodes.Status404NotFound, exception.Message, "not_found");
            case ForbiddenException:
                return Problem(context, StatusCodes.Status403Forbidden, exception.Message, "forbidden");
            case ConflictException conflict:
                return Problem(context, StatusCodes.Status409Conflict, exception.Message, conflict.Code);
            case DomainException domain:
                return Problem(context, StatusCodes.Status409Conflict, exception.Message, domain.Code);
            case ConcurrencyConflictException:
                return Problem(context, StatusCodes.Status409Conflict,
                    "The resource was changed by too many concurrent requests; retry.", "concurrent_update");
            case PreconditionFailedException:
                return Problem(context, StatusCodes.Status412PreconditionFailed, exception.Message, "stale_version");
            case BadHttpRequestException badRequest:
                return Problem(context, badRequest.StatusCode, badRequest.Message, code: null);
            default:
                return Problem(context, StatusCodes.Status500InternalServerError, "An unexpected error occurred.", code: null);
        }
    }

    private static ProblemDetails Problem(HttpContext context, int status, string detail, string? code) =>
        Problems.Create(context, status, detail, code);

    private static ProblemDetails Validation(HttpContext context, Dictionary<string, string[]> errors, string? code) =>
        Problems.Validation(context, errors, code);
}
