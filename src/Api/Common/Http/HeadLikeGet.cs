using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing;

namespace Sessions.Api.Common.Http;

/// <summary>
/// HTTP requires <c>HEAD</c> wherever <c>GET</c> is served (RFC 9110 §9.3.2): every GET action also answers HEAD,
/// with the same status and headers; Kestrel sends no body for a HEAD request. Only routing learns of it (the
/// endpoint's method metadata), so the OpenAPI document keeps one GET operation per route. A route with a HEAD
/// action of its own (a connector session's existence check) keeps that action.
/// </summary>
public sealed class HeadLikeGetConvention : IApplicationModelConvention
{
    public void Apply(ApplicationModel application)
    {
        // Action templates are relative to their controller's: routes are compared whole.
        var selectors = (
            from controller in application.Controllers
            from action in controller.Actions
            from selector in action.Selectors
            select (Selector: selector, Route: AttributeRouteModel.CombineAttributeRouteModel(
                controller.Selectors.FirstOrDefault()?.AttributeRouteModel, selector.AttributeRouteModel)?.Template)).ToList();
        var ownHead = selectors
            .Where(s => Methods(s.Selector).Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
            .Select(s => s.Route)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        foreach (var (selector, route) in selectors)
        {
            var methods = Methods(selector);
            if (!methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) || ownHead.Contains(route))
            {
                continue;
            }

            selector.EndpointMetadata.Remove(selector.EndpointMetadata.OfType<HttpMethodMetadata>().Single());
            selector.EndpointMetadata.Add(new HttpMethodMetadata([.. methods, HttpMethods.Head]));
            selector.EndpointMetadata.Add(HeadAnsweredByGet.Instance);
        }
    }

    private static IReadOnlyList<string> Methods(SelectorModel selector) =>
        selector.EndpointMetadata.OfType<HttpMethodMetadata>().SingleOrDefault()?.HttpMethods ?? [];
}

public static class HeadLikeGet
{
    /// <summary>
    /// Drops what a GET action (or a health check) writes when it answers HEAD. Kestrel drops it too, but not every server does
    /// (the in-memory test server), and a HEAD answer has no body on any.
    /// </summary>
    public static IApplicationBuilder UseHeadWithoutBody(this IApplicationBuilder app) => app.Use((context, next) =>
        HttpMethods.IsHead(context.Request.Method) ? WithoutBodyAsync(context, next) : next(context));

    private static async Task WithoutBodyAsync(HttpContext context, RequestDelegate next)
    {
        var body = context.Response.Body;
        context.Response.Body = Stream.Null;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }
    }
}

/// <summary>Marks an endpoint whose HEAD is its GET without the body (not a HEAD action of its own).</summary>
public sealed class HeadAnsweredByGet
{
    public static readonly HeadAnsweredByGet Instance = new();

    private HeadAnsweredByGet()
    {
    }
}
