using System.Diagnostics;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Telemetry;

namespace Sessions.Application.Common.Behaviors;

/// <summary>
/// Outermost behavior: one span per command or query, named after it, around everything the
/// pipeline does for it (validation, the handler, the commit and its retries, publishing), so the
/// database calls it makes are its children. Without a listener no span is made.
/// </summary>
public sealed class TracingBehavior<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string SpanName = typeof(TRequest).Name;
    private static readonly string Kind = typeof(ICommand).IsAssignableFrom(typeof(TRequest)) ? "command" : "query";

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        using var activity = SessionsTelemetry.Source.StartActivity(SpanName, ActivityKind.Internal);
        activity?.SetTag("sessions.request.kind", Kind);
        try
        {
            return await next();
        }
        catch (Exception exception)
        {
            activity.RecordFailure(exception);
            throw;
        }
    }
}
