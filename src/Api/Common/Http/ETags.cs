using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
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

/// <summary>
/// The version a request's <c>If-Match</c> demands (null: absent or <c>*</c>), parsed once when the action's
/// arguments are bound; an action takes it as <c>[FromHeader(Name = "If-Match")] IfMatch ifMatch</c> and hands
/// <see cref="Version"/> to its command. A malformed header is 400 before the action runs.
/// </summary>
[ModelBinder(BinderType = typeof(IfMatchBinder))]
public readonly record struct IfMatch(long? Version)
{
    /// <summary>Binds from the header's text, which also makes the document describe it as the string it is.</summary>
    public static bool TryParse(string? value, out IfMatch ifMatch)
    {
        try
        {
            ifMatch = new IfMatch(ETags.ParseIfMatch(value));
            return true;
        }
        catch (ValidationException)
        {
            ifMatch = default;
            return false;
        }
    }
}

/// <summary>Parses <c>If-Match</c>, refusing a malformed one with the 400 that names the header.</summary>
public sealed class IfMatchBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var header = bindingContext.HttpContext.Request.Headers.IfMatch;
        bindingContext.Result = ModelBindingResult.Success(new IfMatch(ETags.ParseIfMatch(header.Count == 0 ? null : header.ToString())));
        return Task.CompletedTask;
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
