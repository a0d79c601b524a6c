using System.Diagnostics.Metrics;
using Sessions.Application.Common.Telemetry;

namespace Sessions.Application.UnitTests.Common;

/// <summary>The service's instruments on a meter of the test's own, as a host's meter factory would make them.</summary>
public static class TestMetrics
{
    public static SessionsMetrics Create() => new(new Factory());

    private sealed class Factory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
