using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Sessions.Application.Common.Behaviors;

/// <summary>Outermost behavior: one line per request with its name, outcome and duration (never its values).</summary>
public sealed class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Handled {Request} in {ElapsedMs:F1} ms", typeof(TRequest).Name,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return response;
        }
        catch (Exception exception)
        {
            logger.LogInformation("{Request} refused with {Error} after {ElapsedMs:F1} ms", typeof(TRequest).Name,
                exception.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
