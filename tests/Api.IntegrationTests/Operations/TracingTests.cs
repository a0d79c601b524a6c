using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Sessions.Api.Common.Hosting;
using Sessions.Api.IntegrationTests.Infrastructure;
using static Sessions.Api.IntegrationTests.Infrastructure.HttpAssertions;

namespace Sessions.Api.IntegrationTests.Operations;

/// <summary>What a trace of one request shows, read with OpenTelemetry's in-memory exporter.</summary>
[Collection(ApiCollection.Name)]
public sealed class TracingTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task NextStep_IsOneTrace_ServerSpan_CommandSpan_DatabaseSpans_AndItsProblemNamesTheTrace(string database)
    {
        var host = await hosts.For(database);
        var spans = new SpanCollection();
        await using var traced = host.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSessionsTracing(tracing => tracing.AddInMemoryExporter(spans))));
        var user = await host.CreateUserAsync();
        using var client = traced.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
        var session = await (await client.PostAsync("/api/v1/wizard-sessions",
            Json($$"""{"wizard_id":"onboarding-wizard-v3","user_id":"{{user.Handle}}"}"""))).ShouldBeJsonAsync(HttpStatusCode.Created);

        // The caller's own trace: the service continues it rather than starting another.
        var callerTrace = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        using var nextStep = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/wizard-sessions/{session["session_id"]}/next-step")
        {
            Content = Json("""{"answers":{}}"""),
            Headers = { { "traceparent", $"00-{callerTrace}-{callerSpan}-01" } },
        };
        var problem = await (await client.SendAsync(nextStep)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        problem["trace_id"]!.GetValue<string>().Should().Be(callerTrace.ToHexString(), "the problem names the request's W3C trace id");
        var server = await spans.WaitForAsync(span => span.TraceId == callerTrace && span.Kind == ActivityKind.Server);
        server.ParentSpanId.Should().Be(callerSpan, "the incoming traceparent is honoured");
        server.GetTagItem("http.route").Should().Be("api/v1/wizard-sessions/{sessionId}/next-step");

        var command = await spans.WaitForAsync(span => span.TraceId == callerTrace && span.Source.Name == "Sessions");
        command.DisplayName.Should().Be("ActOnWizardSessionCommand");
        command.ParentSpanId.Should().Be(server.SpanId, "the command runs inside the request");
        command.Status.Should().Be(ActivityStatusCode.Error, "the command was refused");

        var underCommand = spans.Snapshot().Where(span => span.TraceId == callerTrace && span.ParentSpanId == command.SpanId).ToList();
        underCommand.Should().Contain(span => span.Kind == ActivityKind.Client && span.Source.Name.Contains("EntityFrameworkCore"),
            $"the command read the session from the database (spans under it: {string.Join(", ", underCommand.Select(s => $"{s.Source.Name}/{s.DisplayName}"))})");
        spans.Snapshot().Where(span => span.ParentSpanId == command.SpanId).Should().OnlyContain(span => span.TraceId == callerTrace);
    }

    /// <summary>The exporter adds from whichever thread ends a span.</summary>
    private sealed class SpanCollection : ICollection<Activity>
    {
        private readonly List<Activity> _spans = [];

        public int Count
        {
            get { lock (_spans) return _spans.Count; }
        }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (_spans) _spans.Add(item);
        }

        public List<Activity> Snapshot()
        {
            lock (_spans) return [.. _spans];
        }

        /// <summary>A span is exported when it ends, which may be just after the client has its answer.</summary>
        public async Task<Activity> WaitForAsync(Func<Activity, bool> match)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                if (Snapshot().FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                await Task.Delay(20);
            }

            throw new Xunit.Sdk.XunitException($"no such span among {Count}");
        }

        public void Clear()
        {
            lock (_spans) _spans.Clear();
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_spans) return _spans.Remove(item);
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
