using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Api.Common.Http;

/// <summary>
/// Refuses bodies over <c>Sessions:Api:MaxRequestBodyBytes</c> (default 1 MiB) with 413: at once
/// when Content-Length says so, and while reading when the server enforces the limit (Kestrel).
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, ApiOptions options)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > options.MaxRequestBodyBytes)
        {
            throw new BadHttpRequestException(
                $"The request body is larger than {options.MaxRequestBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxRequestBodyBytes;
        }

        return next(context);
    }
}
