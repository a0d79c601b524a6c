using Microsoft.AspNetCore.WebUtilities;
using NJsonSchema;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Sessions.Api.Common.Http;

namespace Sessions.Api.Common.OpenApi;

/// <summary>
/// Each response's media types are the ones the action declares for its status: a problem is only
/// <c>application/problem+json</c>, and a 204 (or a response without a schema) has no body. A
/// response without a description is described by its status's reason phrase.
/// </summary>
public sealed class ResponseContentProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var declared = ((AspNetCoreOperationProcessorContext)context).ApiDescription.SupportedResponseTypes
            .ToDictionary(r => r.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r => r.ApiResponseFormats.Select(f => f.MediaType).ToList());
        foreach (var (status, response) in context.OperationDescription.Operation.Responses)
        {
            if (string.IsNullOrEmpty(response.Description))
            {
                response.Description = ReasonPhrases.GetReasonPhrase(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture));
            }

            var schema = response.Content.Values.Select(c => c.Schema).FirstOrDefault(s => s is not null);
            response.Content.Clear();
            if (status == "204" || schema is null || !declared.TryGetValue(status, out var mediaTypes))
            {
                continue;
            }

            foreach (var mediaType in mediaTypes)
            {
                response.Content[mediaType] = new OpenApiMediaType { Schema = schema };
            }
        }

        return true;
    }
}

/// <summary>A list answered as a bare JSON array (the seeds' shape) says how long it can be (<see cref="ListLimitAttribute"/>).</summary>
public sealed class ListLimitProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        if (context.MethodInfo?.GetCustomAttributes(typeof(ListLimitAttribute), inherit: false).FirstOrDefault() is ListLimitAttribute limit
            && context.OperationDescription.Operation.Responses.TryGetValue("200", out var ok))
        {
            foreach (var content in ok.Content.Values.Where(c => c.Schema?.Type == JsonObjectType.Array))
            {
                content.Schema.MaxItems = limit.MaxItems;
            }
        }

        return true;
    }
}

/// <summary>
/// A body the action may go without (<c>EmptyBodyBehavior.Allow</c>, so not required) may also be the
/// JSON <c>null</c>, which the service reads as no body: its schema says so. NSwag drops a body
/// parameter's nullability in OpenAPI 3.0, so it is stated here as a nullable reference.
/// </summary>
public sealed class OptionalBodyProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        if (context.OperationDescription.Operation.RequestBody is { IsRequired: false } body)
        {
            foreach (var content in body.Content.Values.Where(c => c.Schema is { IsNullableRaw: not true, HasReference: true }))
            {
                content.Schema = new JsonSchema { IsNullableRaw = true, OneOf = { new JsonSchema { Reference = content.Schema.ActualSchema } } };
            }
        }

        return true;
    }
}

/// <summary>Path values and the protocol headers are bounded by their owners' limits.</summary>
public sealed class ParameterLimitsProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        foreach (var parameter in context.OperationDescription.Operation.Parameters)
        {
            var schema = parameter.Schema ?? parameter;
            if (!schema.Type.HasFlag(JsonObjectType.String) || schema.MaxLength is not null || schema.Format is not null)
            {
                continue;
            }

            schema.MaxLength = (parameter.Kind, parameter.Name) switch
            {
                (OpenApiParameterKind.Header, "If-Match") => ETags.MaxIfMatchLength,
                (OpenApiParameterKind.Header, IdempotencyFilter.KeyHeader) => IdempotencyFilter.MaxKeyLength,
                (OpenApiParameterKind.Path, _) => WireLimits.MaxPathIdLength,
                _ => null,
            };
        }

        return true;
    }
}

/// <summary>
/// Every answer carries its key's rate-limit state and, for a 429 or 503, when to retry: the
/// headers are described once in components and referenced from each response.
/// </summary>
public sealed class ResponseHeadersProcessor : IOperationProcessor
{
    private const string RetryAfterHeader = "Retry-After";

    public bool Process(OperationProcessorContext context)
    {
        foreach (var (status, response) in context.OperationDescription.Operation.Responses)
        {
            var names = (status.StartsWith('2') || status.StartsWith('4') ? RateLimiting.HeaderDescriptions.Keys : [])
                .Concat(status is "429" or "503" ? [RetryAfterHeader] : [])
                .Append(CrossOrigin.AllowOriginHeader);
            foreach (var name in names)
            {
                // A reference to the header itself: NSwag's reference resolution would point into the header's schema.
                var reference = new OpenApiHeader();
                ((NJsonSchema.References.IJsonReferenceBase)reference).ReferencePath = "#/components/headers/" + name;
                Describe(context.Document, name);
                response.Headers[name] = reference;
            }
        }

        return true;
    }

    private static void Describe(OpenApiDocument document, string name)
    {
        if (!document.Components.Headers.ContainsKey(name))
        {
            document.Components.Headers[name] = name == CrossOrigin.AllowOriginHeader
                ? Header(CrossOrigin.AllowOriginDescription,
                    new JsonSchema { Type = JsonObjectType.String, Format = JsonFormatStrings.Uri, MaxLength = WireLimits.MaxUrlLength })
                : Header(name == RetryAfterHeader ? "Seconds to wait before trying again." : RateLimiting.HeaderDescriptions[name],
                    new JsonSchema { Type = JsonObjectType.Integer, Format = JsonFormatStrings.Integer, Minimum = 0, Maximum = int.MaxValue });
        }
    }

    private static OpenApiHeader Header(string description, JsonSchema schema) => new() { Description = description, Schema = schema };
}

/// <summary>
/// Every operation needs the Bearer key except a route anyone may call (a shared result), which states no
/// security at all. Stated per operation, because the generator writes no empty <c>security: []</c> that
/// could override a document-wide requirement.
/// </summary>
public sealed class SecurityRequirementProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var open = ((AspNetCoreOperationProcessorContext)context).ApiDescription.ActionDescriptor.EndpointMetadata
            .OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();
        if (!open)
        {
            context.OperationDescription.Operation.Security =
                [new OpenApiSecurityRequirement { [DocumentDescriptionProcessor.SecuritySchemeName] = [] }];
        }

        return true;
    }
}
