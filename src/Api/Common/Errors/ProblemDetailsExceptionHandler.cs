using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Telemetry;
using Sessions.Infrastructure.Persistence;
using Sessions.Domain.Common;

namespace Sessions.Api.Common.Errors;

/// <summary>The one place where an exception becomes an HTTP status and a problem-details body.</summary>
public sealed class ProblemDetailsExceptionHandler(
    IProblemDetailsService writer,
    SessionsMetrics metrics,
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

        var problem = Describe(exception);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // An outage is not a bug: one line without the stack, and the client is told when to retry.
            logger.LogWarning("The database is unavailable on {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path,
                exception.GetBaseException().Message);
            context.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds;
            metrics.DatabaseUnavailable();
        }
        else if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled {Exception} on {Method} {Path}", exception.GetType().Name,
                context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Describe(Exception exception)
    {
        switch (exception)
        {
            case ValidationException validation:
                return Problems.Validation(validation.Errors.ToDictionary());
            case RuleViolationException rule:
                return Problems.Validation(rule.Violations
                    .GroupBy(violation => violation.Field, StringComparer.Ordinal)
                    .ToDictionary(field => field.Key, field => field.Select(violation => violation.Message).ToArray(), StringComparer.Ordinal), rule.Code);
            case NotFoundException:
                return Problems.Create(StatusCodes.Status404NotFound, exception.Message, "not_found");
            case ForbiddenException forbidden:
                return Problems.Create(StatusCodes.Status403Forbidden, exception.Message, forbidden.Code);
            case ConflictException conflict:
                return Conflict(exception.Message, conflict.Code);
            case DomainException domain:
                return Conflict(exception.Message, domain.Code);
            case ConcurrencyConflictException:
                return Problems.Create(StatusCodes.Status409Conflict,
                    "The resource was changed by too many concurrent requests; retry.", "concurrent_update");
            case PreconditionFailedException:
                return Problems.Create(StatusCodes.Status412PreconditionFailed, exception.Message, "stale_version");
            case BadHttpRequestException badRequest:
                return Problems.Create(badRequest.StatusCode, badRequest.Message, code: null);
            case var _ when DatabaseErrors.IsUnavailable(exception):
                return Problems.Create(StatusCodes.Status503ServiceUnavailable,
                    "The database cannot be reached right now. Retry shortly; an Idempotency-Key makes retrying a write safe.", "database_unavailable");
            default:
                return Problems.Create(StatusCodes.Status500InternalServerError, "An unexpected error occurred.", code: null);
        }
    }

    private const string DatabaseRetryAfterSeconds = "2";

    /// <summary>A 409 names its reason twice: <c>code</c> like every problem, and <c>error</c>, which seed 004's clients read.</summary>
    private static ProblemDetails Conflict(string detail, string code)
    {
        var problem = Problems.Create(StatusCodes.Status409Conflict, detail, code);
        problem.Extensions["error"] = code;
        return problem;
    }
}
