using System.Text.Json;
using Microsoft.Net.Http.Headers;
using Sessions.Api.Common.Errors;
using Sessions.Api.Common.Json;

namespace Sessions.Api.Common.Http;

/// <summary>
/// Checks a JSON request body once, before anything binds or stores it. The serializer would take a
/// free-form object (<c>data</c>, <c>event_plan</c>, <c>payload</c>) without looking inside, and
/// text it cannot turn into a string (a lone surrogate escape, bytes that are not UTF-8) or an
/// object with a name twice would only fail later, as a 500. Such a body is refused with 400
/// <c>invalid_json</c> naming the place by its wire path (<c>data.note</c>); a body that is not JSON
/// at all is keyed <c>body</c>, with the line and byte where it goes wrong. A charset other than UTF-8 is 415: JSON on this API is UTF-8 (RFC 8259 §8.1).
/// </summary>
public sealed class WellFormedJsonMiddleware(RequestDelegate next)
{
    public const string Code = "invalid_json";

    // Requests without a JSON body (every GET, every stream) pass straight on, without an async frame of this middleware.
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        return !request.HasJsonContentType() || request.ContentLength is 0 ? next(context) : CheckBodyAsync(context, request);
    }

    private async Task CheckBodyAsync(HttpContext context, HttpRequest request)
    {
        if (NonUtf8Charset(request.ContentType) is { } charset)
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType,
                $"JSON bodies must be UTF-8; the charset '{charset}' is not supported.", "unsupported_charset");
            return;
        }

        var body = await BufferedBody.ReadAsync(request);
        if (body.Length > 0 && JsonFaults.Find(body.Span) is { } fault)
        {
            await Problems.WriteAsync(context,
                Problems.Validation(new Dictionary<string, string[]> { [fault.Path] = [fault.Message] }, fault.Code));
            return;
        }

        await next(context);
    }

    private static string? NonUtf8Charset(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.Charset.HasValue)
        {
            return null;
        }

        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Value;
        return string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase)
               || string.Equals(charset, "utf8", StringComparison.OrdinalIgnoreCase)
            ? null
            : charset;
    }
}

/// <summary>The first fault of a JSON text, with the wire path where it is and its problem code.</summary>
internal static class JsonFaults
{
    /// <summary>
    /// PostgreSQL text and jsonb cannot hold U+0000, and no field of this API has a use for it: a string
    /// or name that holds one (as the escape <c>\u0000</c>; a raw zero byte is not JSON) is refused the
    /// same on every database.
    /// </summary>
    public const string NulCode = "nul_character";

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static (string Path, string Message, string Code)? Find(ReadOnlySpan<byte> json)
    {
        if (json.StartsWith(Utf8ByteOrderMark))
        {
            json = json[Utf8ByteOrderMark.Length..];
        }

        var reader = new Utf8JsonReader(json);
        var scopes = new List<Scope>();
        try
        {
            while (reader.Read())
            {
                var scope = scopes.Count > 0 ? scopes[^1] : null;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = ReadText(ref reader);
                        if (name is null)
                        {
                            return (PathOf(scopes), "A property name is not valid text: it holds a lone surrogate or bytes that are not UTF-8.", WellFormedJsonMiddleware.Code);
                        }

                        scope!.Property = name;
                        if (name.Contains('\0', StringComparison.Ordinal))
                        {
                            return (PathOf(scopes), "A property name must not contain the NUL character (U+0000).", NulCode);
                        }

                        if (!scope.Names!.Add(name))
                        {
                            return (PathOf(scopes), $"The property '{name}' appears more than once in the same object.", WellFormedJsonMiddleware.Code);
                        }

                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        scopes.RemoveAt(scopes.Count - 1);
                        continue;
                }

                // A value: in an array it takes the next index.
                if (scope is { Names: null })
                {
                    scope.Index++;
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        scopes.Add(new Scope { Names = new HashSet<string>(StringComparer.Ordinal) });
                        break;
                    case JsonTokenType.StartArray:
                        scopes.Add(new Scope());
                        break;
                    case JsonTokenType.String:
                        var text = ReadText(ref reader);
                        if (text is null)
                        {
                            return (PathOf(scopes), "The string is not valid text: it holds a lone surrogate or bytes that are not UTF-8.", WellFormedJsonMiddleware.Code);
                        }

                        if (text.Contains('\0', StringComparison.Ordinal))
                        {
                            var place = PathOf(scopes);
                            return (place, $"{WireShape.Subject(place)} must not contain the NUL character (U+0000).", NulCode);
                        }

                        break;
                }
            }
        }
        catch (JsonException malformed)
        {
            return (WireShape.Body, NotJson(malformed), WellFormedJsonMiddleware.Code);
        }

        return null;
    }

    /// <summary>
    /// The current string or name unescaped and decoded; null when it is not valid Unicode text. Most strings
    /// have no escapes to undo, so valid UTF-8 is valid text without a NUL, and they are not decoded ("").
    /// </summary>
    private static string? ReadText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && reader.TokenType == JsonTokenType.String)
        {
            return System.Text.Unicode.Utf8.IsValid(reader.ValueSpan) ? "" : null;
        }

        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The reader's reason without its zero-based position suffix, and the position counted from one.</summary>
    private static string NotJson(JsonException malformed)
    {
        var reason = malformed.Message;
        var position = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        reason = (position >= 0 ? reason[..position] : reason).TrimEnd();
        return $"The body is not valid JSON: {reason} (line {malformed.LineNumber + 1}, byte {malformed.BytePositionInLine + 1}).";
    }

    private static string PathOf(List<Scope> scopes)
    {
        var path = "";
        foreach (var scope in scopes)
        {
            if (scope.Names is null)
            {
                if (scope.Index >= 0)
                {
                    path = WireShape.Item(path, scope.Index);
                }
            }
            else if (scope.Property is { } property)
            {
                path = WireShape.Member(path, property);
            }
        }

        return path.Length == 0 ? WireShape.Body : path;
    }

    /// <summary>An object (with the names seen so far and the current one) or an array (with the current index).</summary>
    private sealed class Scope
    {
        public HashSet<string>? Names { get; init; }
        public string? Property { get; set; }
        public int Index { get; set; } = -1;
    }
}
