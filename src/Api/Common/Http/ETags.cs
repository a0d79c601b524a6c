using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;

namespace Sessions.Api.Common.Http;

/// <summary>Versions on the wire: <c>ETag: "&lt;version&gt;"</c> out, <c>If-Match</c> in.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Far longer than any tag this service sends (<c>W/"9223372036854775807"</c>).</summary>
    public const int MaxIfMatchLength = 64;

    /// <summary>The version an <c>If-Match</c> header demands; null when absent or <c>*</c>.</summary>
    public static long? ParseIfMatch(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return null;
        }

        if (ifMatch.Length > MaxIfMatchLength)
        {
            throw ValidationException.For("If-Match", $"If-Match is at most {MaxIfMatchLength} characters: one entity tag from an ETag header.");
        }

        var tag = ifMatch.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal))
        {
            tag = tag[2..];
        }

        if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
            && long.TryParse(tag.AsSpan(1, tag.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return version;
        }

        throw ValidationException.For("If-Match", "If-Match must be an entity tag taken from an ETag header, such as \"3\".");
    }
}

/// <summary>Sends the ETag of every response that describes one versioned resource.</summary>
public sealed class ETagResultFilter : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is ObjectResult { Value: IVersioned versioned, StatusCode: null or < 300 })
        {
            context.HttpContext.Response.Headers.ETag = ETags.Format(versioned.Version);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
