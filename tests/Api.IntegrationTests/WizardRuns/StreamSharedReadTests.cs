using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Api.WizardRuns;
using Sessions.Application.WizardRuns;
using Sessions.Application.WizardRuns.Queries;
using Sessions.Infrastructure.WizardRuns;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.WizardRuns;

/// <summary>The read behind a frame is shared by the streams showing it, and belongs to none of them.</summary>
public sealed class StreamSharedReadTests
{
    private const string Runs = "/api/projects/1/wizard/sessions";
    private const string StreamHeader = "X-Test-Stream";

    [Theory, ClassData(typeof(Databases))]
    public async Task TheStreamThatStartedASharedRead_Disconnecting_WhileItIsUnderWay_LeavesTheOtherStreamsTheirFrame(string database)
    {
        var hook = new SharedReadHook();
        await using var host = await ApiHost.StartAsync(database, services: hook.ComposeOver);
        var user = await host.CreateUserAsync(projects: [1]);
        var workflow = $"shared-{Guid.NewGuid():N}"[..20];
        var url = $"{Runs}/stream?workflow_id={workflow}";

        var streams = new Dictionary<string, EventStream>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            var client = host.CreateClient(user.Token);
            client.DefaultRequestHeaders.Add(StreamHeader, name);
            streams[name] = await EventStream.OpenAsync(client, url);
        }

        try
        {
            // The push reaches all three streams; the first to ask for the run starts the one read, held
            // here until that stream has gone, and the other two wait for the same read.
            var sessionId = $"run-{Guid.NewGuid():N}"[..20];
            await (await user.Client.PostAsync(Runs, Json(WizardRunsApiTests.CliPush(sessionId, workflow: workflow))))
                .ShouldBeJsonAsync(HttpStatusCode.Created);
            var waiting = await hook.StreamsWaiting(3).WaitAsync(TimeSpan.FromSeconds(10));
            await hook.ReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

            var starter = waiting[0];
            streams[starter.Name].Dispose();
            await starter.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
            hook.ReleaseRead();

            foreach (var other in waiting.Skip(1))
            {
                var frame = await streams[other.Name].NextAsync(TimeSpan.FromSeconds(10));
                frame.Should().NotBeNull($"stream {other.Name} should get the frame of the read stream {starter.Name} started");
                frame!.Value.EventType.Should().Be(SseParser.EventTypeDefault);
                JsonNode.Parse(frame.Value.Data)!["session_id"]!.GetValue<string>().Should().Be(sessionId);
            }

            hook.Reads.Should().Be(1, "the three streams share one read");
            host.Services.GetRequiredService<WizardRunStreams>().Open.Should().Be(2);
        }
        finally
        {
            hook.ReleaseRead();
            foreach (var stream in streams.Values)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>
    /// Composed over the test host's services: notes which stream asks for a run's shared read, in the
    /// order they ask (the first starts it), and holds the read itself until released.
    /// </summary>
    private sealed class SharedReadHook
    {
        private readonly List<WaitingStream> _waiting = [];
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads => Volatile.Read(ref _reads);

        public void ReleaseRead() => _release.TrySetResult();

        public void ComposeOver(IServiceCollection services)
        {
            services.AddHttpContextAccessor();
            services.RemoveAll<IWizardRunStreamReads>();
            services.AddSingleton<IWizardRunStreamReads>(provider => new RecordingReads(
                new SharedWizardRunReads(provider.GetRequiredService<IServiceScopeFactory>()),
                provider.GetRequiredService<IHttpContextAccessor>(), this));
            services.RemoveAll<IWizardRunReader>();
            services.AddScoped<IWizardRunReader>(provider => new HeldReader(ActivatorUtilities.CreateInstance<WizardRunReader>(provider), this));
        }

        public async Task<IReadOnlyList<WaitingStream>> StreamsWaiting(int count)
        {
            while (true)
            {
                lock (_waiting)
                {
                    if (_waiting.Count >= count)
                    {
                        return _waiting.ToList();
                    }
                }

                await Task.Delay(10);
            }
        }

        private sealed class RecordingReads(IWizardRunStreamReads shared, IHttpContextAccessor requests, SharedReadHook hook) : IWizardRunStreamReads
        {
            public Task<WizardRunDto?> GetLatestAsync(int projectId, string workflowId, string? skillId, long subscribedAt) =>
                shared.GetLatestAsync(projectId, workflowId, skillId, subscribedAt);

            public Task<WizardRunDto> GetAsync(int projectId, string sessionId, long delivery)
            {
                var request = requests.HttpContext ?? throw new InvalidOperationException("A stream asks for its frames in its own request.");
                var waiting = new WaitingStream(request.Request.Headers[StreamHeader].ToString());
                request.Response.RegisterForDispose(new Signal(waiting.Ended));

                // One at a time, so the order noted is the order the shared reads see.
                lock (hook._waiting)
                {
                    hook._waiting.Add(waiting);
                    return shared.GetAsync(projectId, sessionId, delivery);
                }
            }
        }

        private sealed class HeldReader(IWizardRunReader reader, SharedReadHook hook) : IWizardRunReader
        {
            public Task<WizardRunDto?> FindLatestAsync(int projectId, string workflowId, string? skillId, CancellationToken cancellationToken) =>
                reader.FindLatestAsync(projectId, workflowId, skillId, cancellationToken);

            public async Task<WizardRunDto> GetAsync(int projectId, string sessionId, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref hook._reads);
                hook.ReadStarted.TrySetResult();
                await hook._release.Task;
                return await reader.GetAsync(projectId, sessionId, cancellationToken);
            }
        }

        private sealed class Signal(TaskCompletionSource ended) : IDisposable
        {
            public void Dispose() => ended.TrySetResult();
        }
    }

    /// <param name="Ended">Completes once the stream's request is over (its response disposed).</param>
    private sealed record WaitingStream(string Name)
    {
        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
