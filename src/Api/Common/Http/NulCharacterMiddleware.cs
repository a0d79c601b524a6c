using Sessions.Api.Common.Errors;

namespace Sessions.Api.Common.Http;

/// <summary>
/// PostgreSQL text and jsonb cannot hold U+0000, and no field of this API has a use for it: a
/// request that carries one in its query or its JSON body (escaped as <c>\u0000</c> or raw) is
/// refused with 400, the same on every database, before anything reads it.
/// </summary>
public sealed class NulCharacterMiddleware(RequestDelegate next)
{
    private const string Detail = "Text may not contain the NUL character (U+0000).";
    private static readonly byte[] Escape = "\\u0000"u8.ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, Detail, "nul_character");
            return;
        }

        if (request.HasJsonContentType() && request.ContentLength is not 0)
        {
            var body = await BufferedBody.ReadAsync(request);
            if (ContainsNul(body.Span))
            {
                await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, Detail, "nul_character");
                return;
            }
        }

        await next(context);
    }

    /// <summary>A raw zero byte, or <c>\u0000</c> that is an escape (not the text <c>\\u0000</c>: an escaped backslash, then "u0000").</summary>
    private static bool ContainsNul(ReadOnlySpan<byte> json)
    {
        if (json.Contains((byte)0))
        {
            return true;
        }

        for (var at = json.IndexOf(Escape); at >= 0; at = NextEscape(json, at))
        {
            var backslashes = 0;
            while (at - backslashes - 1 >= 0 && json[at - backslashes - 1] == (byte)'\\')
            {
                backslashes++;
            }

            if (backslashes % 2 == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static int NextEscape(ReadOnlySpan<byte> json, int previous)
    {
        var next = json[(previous + 1)..].IndexOf(Escape);
        return next < 0 ? -1 : previous + 1 + next;
    }
}
