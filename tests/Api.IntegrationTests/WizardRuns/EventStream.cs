using System.Net;
using System.Net.ServerSentEvents;

namespace Sessions.Api.IntegrationTests.WizardRuns;

/// <summary>An open <c>text/event-stream</c> answer, read an event at a time.</summary>
public sealed class EventStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items) : IDisposable
{
    public HttpResponseMessage Response { get; } = response;

    public static async Task<EventStream> OpenAsync(HttpClient client, string url)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await ErrorTextAsync(response));
        return new EventStream(response, SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator());
    }

    /// <summary>The next event (comments such as pings never surface), or null when the stream closed.</summary>
    public async Task<SseItem<string>?> NextAsync(TimeSpan within) =>
        await items.MoveNextAsync().AsTask().WaitAsync(within) ? items.Current : null;

    public void Dispose() => Response.Dispose();

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK ? string.Empty : await response.Content.ReadAsStringAsync();
}
