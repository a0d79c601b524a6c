using System.Net;
using System.Net.ServerSentEvents;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>A run stream (<c>text/event-stream</c>) read frame by frame, as an <c>EventSource</c> reads it.</summary>
public sealed class EventStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items) : IDisposable
{
    public HttpResponseMessage Response { get; } = response;

    /// <summary>Opens the stream and asserts it was accepted (200).</summary>
    public static async Task<EventStream> OpenAsync(HttpClient client, string url, CancellationToken cancellationToken = default)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new HttpRequestException($"the stream answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        var content = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new EventStream(response, SseParser.Create(content).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken));
    }

    /// <summary>The next frame (pings are comments and never surface), or null once the stream has ended.</summary>
    public async Task<SseItem<string>?> NextAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        return await items.MoveNextAsync().AsTask().WaitAsync(timeout.Token) ? items.Current : null;
    }

    public void Dispose() => Response.Dispose();
}
