using System.Text.Json;
using Microsoft.Net.Http.Headers;
using Sessions.Api.Common.Errors;

namespace Sessions.Api.Common.Http;

/// <summary>
/// Checks a JSON request body once, before anything binds or stores it. The serializer would take a
/// free-form object (<c>data</c>, <c>event_plan</c>, <c>payload</c>) without looking inside, and
/// text it cannot turn into a string (a lone surrogate escape, bytes that are not UTF-8) or an
/// object with a name twice would only fail later, as a 500. Such a body is refused with 400
/// <c>invalid_json</c> naming the place (a JSON path, as in <c>$.data.note</c>); so is a body
/// that is not JSON at all. A charset other than UTF-8 is 415: JSON on this API is UTF-8 (RFC 8259 §8.1).
/// </summary>
public sealed class WellFormedJsonMiddleware(RequestDelegate next)
{
    public const string Code = "invalid_json";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasJsonContentType() || request.ContentLength is 0)
        {
            await next(context);
            return;
        }

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
                Problems.Validation(new Dictionary<string, string[]> { [fault.Path] = [fault.Message] }, Code));
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

/// <summary>The first fault of a JSON text, with the JSON path where it is.</summary>
internal static class JsonFaults
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static (string Path, string Message)? Find(ReadOnlySpan<byte> json)
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
                        if (!TryReadText(ref reader, out var name))
                        {
                            return (PathOf(scopes), "A property name is not valid text: it holds a lone surrogate or bytes that are not UTF-8.");
                        }

                        scope!.Property = name;
                        if (!scope.Names!.Add(name))
                        {
                            return (PathOf(scopes), $"The property '{name}' appears more than once in the same object.");
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
                    case JsonTokenType.String when !TryReadText(ref reader, out _):
                        return (PathOf(scopes), "The string is not valid text: it holds a lone surrogate or bytes that are not UTF-8.");
                }
            }
        }
        catch (JsonException malformed)
        {
            return (PathOf(scopes), malformed.Message);
        }

        return null;
    }

    /// <summary>Unescapes and decodes the current string; false when it is not valid Unicode text.</summary>
    private static bool TryReadText(ref Utf8JsonReader reader, out string text)
    {
        if (!reader.ValueIsEscaped && reader.TokenType == JsonTokenType.String)
        {
            // Most strings: no escapes to undo, so valid UTF-8 is valid text (and need not be decoded).
            text = "";
            return System.Text.Unicode.Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            text = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private static string PathOf(List<Scope> scopes)
    {
        var path = new System.Text.StringBuilder("$");
        foreach (var scope in scopes)
        {
            if (scope.Names is null)
            {
                if (scope.Index >= 0)
                {
                    path.Append('[').Append(scope.Index).Append(']');
                }
            }
            else if (scope.Property is { } property)
            {
                // As System.Text.Json writes paths: $.name, or $['a name'] when the name is not a plain word.
                if (property.Length > 0 && property.All(c => char.IsLetterOrDigit(c) || c is '_' or '-'))
                {
                    path.Append('.').Append(property);
                }
                else
                {
                    path.Append("['").Append(property.Replace("'", "\\'")).Append("']");
                }
            }
        }

        return path.ToString();
    }

    /// <summary>An object (with the names seen so far and the current one) or an array (with the current index).</summary>
    private sealed class Scope
    {
        public HashSet<string>? Names { get; init; }
        public string? Property { get; set; }
        public int Index { get; set; } = -1;
    }
}
