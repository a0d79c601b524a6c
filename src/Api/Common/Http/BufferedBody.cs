namespace Sessions.Api.Common.Http;

/// <summary>
/// The request body read once into memory and kept for the request, so the checks that look at the
/// raw bytes (well-formed JSON, NUL characters, the idempotency fingerprint) and then MVC's model
/// binding each see the same bytes without reading the stream again. Bodies are bounded by
/// <c>Sessions:Api:MaxRequestBodyBytes</c> before anything reads them.
/// </summary>
public static class BufferedBody
{
    private static readonly object ItemKey = new();

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request)
    {
        if (request.HttpContext.Items.TryGetValue(ItemKey, out var kept) && kept is ReadOnlyMemory<byte> body)
        {
            return body;
        }

        request.EnableBuffering();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        body = copy.ToArray();
        request.HttpContext.Items[ItemKey] = body;
        return body;
    }
}
