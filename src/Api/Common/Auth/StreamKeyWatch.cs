using Microsoft.Extensions.Options;
using Sessions.Application.Access;

namespace Sessions.Api.Common.Auth;

/// <summary>
/// Re-checks the API keys of open streams as the key cache would re-read them: every
/// <c>Sessions:Api:KeyCache:Lifetime</c> (at least every second) it reads all the keys that hold a
/// stream in one query, and ends the streams of a key that was revoked, has expired or is gone. A
/// stream outlives its request's authentication by up to 30 minutes; this keeps a revocation
/// effective on it within the same time as on any request. One read per process per period, however
/// many streams are open.
/// </summary>
public sealed class StreamKeyWatch(
    IServiceScopeFactory scopes, RecentApiKeys recent, IOptions<ApiKeyCacheOptions> options, TimeProvider clock,
    ILogger<StreamKeyWatch> logger)
    : BackgroundService
{
    private static readonly TimeSpan ShortestPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Per watched key: the signal its streams end on, and how many streams hold it.</summary>
    private readonly Dictionary<string, (CancellationTokenSource Unusable, int Streams)> _keys = new(StringComparer.Ordinal);

    public TimeSpan Period => options.Value.Lifetime > ShortestPeriod ? options.Value.Lifetime : ShortestPeriod;

    /// <summary>Watches the key for one stream; the token is cancelled once the key is no longer usable.</summary>
    public Watching Watch(string keyPrefix)
    {
        lock (_keys)
        {
            var (unusable, streams) = _keys.GetValueOrDefault(keyPrefix);
            unusable ??= new CancellationTokenSource();
            _keys[keyPrefix] = (unusable, streams + 1);
            return new Watching(this, keyPrefix, unusable.Token);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CheckAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database may be away for a moment: the keys are checked again next period.
                    logger.LogWarning("The keys of open streams could not be checked: {ExceptionType}", exception.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>Reads every watched key once and ends the streams of those no longer usable.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        List<string> prefixes;
        lock (_keys)
        {
            prefixes = [.. _keys.Keys];
        }

        if (prefixes.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IApiKeyReader>().FindByPrefixesAsync(prefixes, cancellationToken);
        var now = clock.GetUtcNow();
        var gone = prefixes.Where(prefix => !(stored.TryGetValue(prefix, out var key) && key.IsUsableAt(now))).ToList();

        // What was read here is news to the key cache too: a key found unusable is not trusted from it any more.
        gone.ForEach(recent.Forget);
        List<CancellationTokenSource> unusable;
        lock (_keys)
        {
            unusable = gone.Select(prefix => _keys.TryGetValue(prefix, out var watched) ? watched.Unusable : null)
                .OfType<CancellationTokenSource>().ToList();
        }

        // Outside the lock: cancelling runs the streams' callbacks, which may release their watch.
        foreach (var signal in unusable)
        {
            signal.Cancel();
        }
    }

    private void Release(string keyPrefix)
    {
        lock (_keys)
        {
            var (unusable, streams) = _keys[keyPrefix];
            if (streams > 1)
            {
                _keys[keyPrefix] = (unusable, streams - 1);
                return;
            }

            // Not disposed: a check may be cancelling it right now, and it holds no timer.
            _keys.Remove(keyPrefix);
        }
    }

    /// <summary>One stream's hold on its key's watch; disposing it ends the hold.</summary>
    public sealed class Watching(StreamKeyWatch watch, string keyPrefix, CancellationToken unusable) : IDisposable
    {
        private int _disposed;

        /// <summary>Cancelled once the key is revoked, expired or deleted.</summary>
        public CancellationToken KeyUnusable { get; } = unusable;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                watch.Release(keyPrefix);
            }
        }
    }
}
