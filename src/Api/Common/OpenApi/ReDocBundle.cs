using System.Text;

namespace Sessions.Api.Common.OpenApi;

/// <summary>
/// NSwag's ReDoc page loads ReDoc from a public CDN. The service serves the same bundle itself
/// (ReDoc/redoc.standalone.js, embedded) and points the page at it, so <c>/redoc</c> renders where
/// the browser cannot reach the internet and loads no third-party script.
/// </summary>
public static class ReDocBundle
{
    private const string CdnUrl = "https://cdn.jsdelivr.net/npm/redoc/bundles/redoc.standalone.js";
    private const string FileName = "redoc.standalone.js";
    private const string ResourceName = "Sessions.Api.Common.OpenApi.ReDoc.redoc.standalone.js";

    /// <summary>Serves the bundle at <c>{path}/redoc.standalone.js</c> and rewrites the page at <c>{path}/index.html</c> to use it.</summary>
    public static IApplicationBuilder UseLocalReDocBundle(this IApplicationBuilder app, string path)
    {
        var bundle = new PathString($"{path}/{FileName}");
        var page = new PathString($"{path}/index.html");
        return app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(bundle, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.ContentType = "text/javascript; charset=utf-8";
                await using var script = typeof(ReDocBundle).Assembly.GetManifestResourceStream(ResourceName)!;
                await script.CopyToAsync(context.Response.Body, context.RequestAborted);
                return;
            }

            if (!context.Request.Path.Equals(page, StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            var body = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = body;
            }

            var html = Encoding.UTF8.GetString(buffer.ToArray()).Replace(CdnUrl, FileName, StringComparison.Ordinal);
            context.Response.ContentLength = null;
            await context.Response.WriteAsync(html, context.RequestAborted);
        });
    }
}
