using System.Diagnostics;

namespace Sessions.Application.Common.Telemetry;

/// <summary>
/// The service's own traces: one span per mediator request (named after it) and one per onboarding
/// run attempt. Spans are only made when a listener (the OpenTelemetry tracer provider) samples them.
/// </summary>
public static class SessionsTelemetry
{
    /// <summary>The name of the service's <see cref="ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "Sessions";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Marks a span as failed with the exception's type, never its message (it may quote input).</summary>
    public static void RecordFailure(this Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity.SetTag("error.type", exception.GetType().FullName);
    }
}
