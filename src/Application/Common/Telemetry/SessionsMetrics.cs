using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Sessions.Application.Common.Telemetry;

/// <summary>
/// The instruments of the meter <c>Sessions</c>, one place for all of them. Names and units follow
/// the OpenTelemetry semantic conventions (dotted lower-case names, UCUM units, durations in
/// seconds); the Prometheus exporter turns <c>sessions.streams.frames</c> with unit <c>{frame}</c> into
/// <c>sessions_streams_frames_total</c> and a histogram in <c>s</c> into <c>…_seconds</c>.
/// Counts are kept in fields and observed at each collection, so every series is exported from the
/// start (at 0) and a dashboard or alert never waits for a first event; recording one is a single
/// interlocked increment whether or not anything listens.
/// ops/grafana/sessions.json and ops/prometheus/alerts.yml read these names (a test holds them together).
/// </summary>
public sealed class SessionsMetrics
{
    private readonly Histogram<double> _fanOutDelay;
    private readonly Histogram<double> _runDuration;

    private long _streamsOpen;
    private long _streamFrames;
    private long _fanOutUpserts;
    private long _conflictsRetried;
    private long _conflictsGivenUp;
    private long _idempotentReplays;
    private long _idempotencyKeyReused;
    private long _idempotencyInFlight;
    private long _rateLimitRefusals;
    private long _apiKeyCacheHits;
    private long _apiKeyCacheMisses;
    private long _runsQueued;
    private long _runsSucceeded;
    private long _runsAttemptsExhausted;
    private long _runAttempts;
    private long _leaseExpiries;
    private long _queuedRuns;
    private long _runningRuns;
    private long _databaseUnavailable;
    private long _databaseReady;

    public SessionsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SessionsTelemetry.Name);
        meter.CreateObservableUpDownCounter("sessions.streams.open", () => Read(ref _streamsOpen), "{stream}",
            "Wizard run event streams open in this process.");
        Count(meter, "sessions.streams.frames", () => _streamFrames, "{frame}", "Run frames sent to event streams.");
        Count(meter, "sessions.fanout.upserts", () => _fanOutUpserts, "{upsert}",
            "Committed wizard run upserts handed to this process's open streams.");
        _fanOutDelay = meter.CreateHistogram<double>("sessions.fanout.delay", "s",
            "From this process hearing of a committed upsert to a stream sending its frame.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        Count(meter, "sessions.write_conflicts.retried", () => _conflictsRetried, "{conflict}",
            "Commits that lost a write race and were re-read and re-applied.");
        Count(meter, "sessions.write_conflicts.given_up", () => _conflictsGivenUp, "{conflict}",
            "Commands that lost every retry and were answered 409 concurrent_update.");
        Count(meter, "sessions.idempotency.replays", () => _idempotentReplays, "{response}",
            "Stored responses replayed for a repeated Idempotency-Key.");
        meter.CreateObservableCounter("sessions.idempotency.key_conflicts", () => new[]
            {
                new Measurement<long>(Read(ref _idempotencyKeyReused), new KeyValuePair<string, object?>("reason", "key_reused")),
                new Measurement<long>(Read(ref _idempotencyInFlight), new KeyValuePair<string, object?>("reason", "in_flight")),
            }, "{request}",
            "Idempotency-Key refusals: reused for another request (422, reason key_reused) or still in flight (409, reason in_flight).");
        Count(meter, "sessions.rate_limit.refusals", () => _rateLimitRefusals, "{request}", "Requests refused with 429.");
        Count(meter, "sessions.api_keys.cache.hits", () => _apiKeyCacheHits, "{lookup}", "API keys found among the recently proven ones.");
        Count(meter, "sessions.api_keys.cache.misses", () => _apiKeyCacheMisses, "{lookup}", "API keys read from the database.");
        Count(meter, "sessions.onboarding.runs.queued", () => _runsQueued, "{run}", "Onboarding task runs put in the queue.");
        Count(meter, "sessions.onboarding.runs.succeeded", () => _runsSucceeded, "{run}",
            "Onboarding task runs whose task ran to a verdict (ok, warn or fail).");
        meter.CreateObservableCounter("sessions.onboarding.runs.failed",
            () => new Measurement<long>(Read(ref _runsAttemptsExhausted), new KeyValuePair<string, object?>("reason", "attempts_exhausted")),
            "{run}", "Onboarding task runs that failed without a verdict, by reason.");
        Count(meter, "sessions.onboarding.attempts", () => _runAttempts, "{attempt}", "Onboarding run attempts started by this process.");
        Count(meter, "sessions.onboarding.lease_expiries", () => _leaseExpiries, "{run}",
            "Runs claimed again because the lease of the worker running them expired.");
        _runDuration = meter.CreateHistogram<double>("sessions.onboarding.run.duration", "s",
            "From a run being queued to its result being recorded.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });
        meter.CreateObservableGauge("sessions.onboarding.queue.depth", () => new[]
            {
                new Measurement<long>(Read(ref _queuedRuns), new KeyValuePair<string, object?>("status", "queued")),
                new Measurement<long>(Read(ref _runningRuns), new KeyValuePair<string, object?>("status", "running")),
            }, "{run}", "Onboarding runs waiting (status queued) or being worked on (status running), as of the worker's last count.");
        Count(meter, "sessions.database.unavailable", () => _databaseUnavailable, "{request}",
            "Requests answered 503 database_unavailable.");
        meter.CreateObservableGauge("sessions.database.ready", () => Read(ref _databaseReady), unit: null,
            "1 when the database answered and every migration was applied at the last check (readiness probe, startup, or a refused request), else 0.");
    }

    public void StreamOpened() => Interlocked.Increment(ref _streamsOpen);

    public void StreamClosed() => Interlocked.Decrement(ref _streamsOpen);

    public void FrameSent() => Interlocked.Increment(ref _streamFrames);

    public void UpsertFannedOut() => Interlocked.Increment(ref _fanOutUpserts);

    /// <param name="heardAt">A <see cref="Stopwatch.GetTimestamp"/> taken when the process heard of the upsert.</param>
    public void FanOutDelivered(long heardAt) => _fanOutDelay.Record(Stopwatch.GetElapsedTime(heardAt).TotalSeconds);

    public void WriteConflictRetried() => Interlocked.Increment(ref _conflictsRetried);

    public void WriteConflictGivenUp() => Interlocked.Increment(ref _conflictsGivenUp);

    public void IdempotentReplay() => Interlocked.Increment(ref _idempotentReplays);

    public void IdempotencyKeyReused() => Interlocked.Increment(ref _idempotencyKeyReused);

    public void IdempotencyKeyInFlight() => Interlocked.Increment(ref _idempotencyInFlight);

    public void RateLimited() => Interlocked.Increment(ref _rateLimitRefusals);

    public void ApiKeyCacheHit() => Interlocked.Increment(ref _apiKeyCacheHits);

    public void ApiKeyCacheMiss() => Interlocked.Increment(ref _apiKeyCacheMisses);

    public void RunQueued() => Interlocked.Increment(ref _runsQueued);

    public void RunAttemptStarted(bool leaseExpired)
    {
        Interlocked.Increment(ref _runAttempts);
        if (leaseExpired)
        {
            Interlocked.Increment(ref _leaseExpiries);
        }
    }

    public void RunSucceeded(TimeSpan sinceQueued)
    {
        Interlocked.Increment(ref _runsSucceeded);
        _runDuration.Record(sinceQueued.TotalSeconds);
    }

    public void RunAttemptsExhausted(TimeSpan sinceQueued)
    {
        Interlocked.Increment(ref _runsAttemptsExhausted);
        _runDuration.Record(sinceQueued.TotalSeconds);
    }

    public void RunQueueCounted(long queued, long running)
    {
        Interlocked.Exchange(ref _queuedRuns, queued);
        Interlocked.Exchange(ref _runningRuns, running);
    }

    public void DatabaseUnavailable()
    {
        Interlocked.Increment(ref _databaseUnavailable);
        DatabaseReadiness(ready: false);
    }

    public void DatabaseReadiness(bool ready) => Interlocked.Exchange(ref _databaseReady, ready ? 1 : 0);

    private static long Read(ref long field) => Interlocked.Read(ref field);

    private void Count(Meter meter, string name, Func<long> read, string unit, string description) =>
        meter.CreateObservableCounter(name, read, unit, description);
}
