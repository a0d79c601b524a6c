using MediatR;
using Microsoft.Extensions.Logging;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Telemetry;

namespace Sessions.Application.Common.Behaviors;

/// <summary>
/// Innermost behavior for commands: commits the handler's changes in one transaction (handlers never
/// commit; a response that shows store-generated ids is built here, after the commit), re-runs
/// the handler on fresh state when the commit loses a race (so no update is lost, and an
/// <c>If-Match</c> command turns into 412 on the re-read), and publishes domain events only
/// after the commit succeeded. In a request with a claimed Idempotency-Key the commit is completed
/// with the stored response (<see cref="IUnitOfWork.CommitWithResponseAsync"/>), so the command and
/// the response a retry replays are one transaction.
/// </summary>
public sealed class UnitOfWorkBehavior<TRequest, TResponse>(
    IUnitOfWork unitOfWork,
    IMediator mediator,
    SessionsMetrics metrics,
    ILogger<UnitOfWorkBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    /// <summary>Enough for dozens of writers racing on one row; each retry re-reads, so progress is guaranteed for one of them.</summary>
    public const int MaxAttempts = 100;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommand)
        {
            return await next();
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await next();
                await unitOfWork.CommitAsync(cancellationToken);
                if (unitOfWork.TryBuildDeferredResponse(out var deferred))
                {
                    response = (TResponse)deferred!;
                }

                // Changes held for their idempotent response are not committed yet: their events follow that commit.
                await mediator.PublishCommittedAsync(unitOfWork, cancellationToken);

                return response;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                unitOfWork.Reset();
                metrics.WriteConflictRetried();
                logger.LogDebug("{Request} lost a write race (attempt {Attempt}); re-reading and re-applying",
                    typeof(TRequest).Name, attempt);
                await Task.Delay(Backoff(attempt), cancellationToken);
            }
            catch (Exception exception)
            {
                unitOfWork.Reset();
                if (exception is ConcurrencyConflictException)
                {
                    metrics.WriteConflictGivenUp();
                }

                throw;
            }
        }
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(50, 2 * attempt) + 1));
}
