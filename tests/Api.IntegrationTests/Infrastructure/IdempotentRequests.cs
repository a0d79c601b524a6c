namespace Sessions.Api.IntegrationTests.Infrastructure;

public static class IdempotentRequests
{
    /// <summary>A JSON POST carrying <c>Idempotency-Key</c>.</summary>
    public static HttpRequestMessage IdempotentPost(string path, string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = HttpAssertions.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
