using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Sessions.Api.Common.Errors;
using Sessions.Api.Common.Http;
using Sessions.Application.Common;

namespace Sessions.Api.Common.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddSessionsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;

            // Free-form JSON is described inline as "any object" so clients get a plain dictionary.
            options.CreateSchemaReferenceId = type =>
                typeof(JsonNode).IsAssignableFrom(type.Type) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (type == typeof(JsonObject))
                {
                    schema.Type = JsonSchemaType.Object | (schema.Type & JsonSchemaType.Null);
                    schema.AdditionalProperties = new OpenApiSchema();
                }

                // Timestamps go through the service's own converter, which hides their JSON type from the generator.
                if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
                {
                    schema.Type = type == context.JsonTypeInfo.Type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Format = "date-time";
                }

                if (type == typeof(ProblemDetails))
                {
                    Problems.DescribeLimits(schema);
                }

                if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ItemMaxLengthAttribute), inherit: false)
                        .FirstOrDefault() is ItemMaxLengthAttribute items && schema.Items is OpenApiSchema item)
                {
                    item.MaxLength = items.Length;
                }

                WireLimits.Complete(schema);
                return Task.CompletedTask;
            });
            // [Produces("application/json")] adds a schemaless JSON body to every response; a 204
            // has no body, and a problem is only application/problem+json.
            options.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var (status, response) in operation.Responses ?? [])
                {
                    if (response.Content is not { } content)
                    {
                        continue;
                    }

                    foreach (var mediaType in content.Where(c => c.Value.Schema is null || status == "204").Select(c => c.Key).ToList())
                    {
                        content.Remove(mediaType);
                    }
                }

                return Task.CompletedTask;
            });
            // A list answered as a bare JSON array (the seeds' shape) says how long it can be.
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<ListLimitAttribute>().FirstOrDefault() is { } limit
                    && operation.Responses?.TryGetValue("200", out var ok) == true
                    && ok.Content?.TryGetValue("application/json", out var json) == true
                    && json.Schema is OpenApiSchema { Type: JsonSchemaType.Array } list)
                {
                    list.MaxItems = limit.MaxItems;
                }

                return Task.CompletedTask;
            });
            // A route anyone may call (a shared result) needs no key: it overrides the document's Bearer requirement.
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    operation.Security = [];
                }

                return Task.CompletedTask;
            });
            // Path values and the protocol headers are bounded in one place, by their owners' limits.
            options.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
                {
                    if (parameter.Schema is not OpenApiSchema schema || schema.MaxLength is not null
                        || schema.Type is not { } type || !type.HasFlag(JsonSchemaType.String) || schema.Format is not null)
                    {
                        continue;
                    }

                    schema.MaxLength = (parameter.In, parameter.Name) switch
                    {
                        (ParameterLocation.Header, "If-Match") => ETags.MaxIfMatchLength,
                        (ParameterLocation.Header, IdempotencyFilter.KeyHeader) => IdempotencyFilter.MaxKeyLength,
                        (ParameterLocation.Path, _) => WireLimits.MaxPathIdLength,
                        _ => null,
                    };
                }

                return Task.CompletedTask;
            });
            // Every answer carries its key's rate-limit state, and a 429 or 503 when to retry: the
            // headers are described once, in components, and referenced from each response.
            options.AddOperationTransformer((operation, context, _) =>
            {
                var document = context.Document!;
                foreach (var (status, response) in operation.Responses ?? [])
                {
                    if (response is not OpenApiResponse described)
                    {
                        continue;
                    }

                    described.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    var names = (status.StartsWith('2') || status.StartsWith('4') ? RateLimiting.HeaderDescriptions.Keys : [])
                        .Concat(status is "429" or "503" ? ["Retry-After"] : [])
                        .Append(CrossOrigin.AllowOriginHeader);
                    foreach (var name in names)
                    {
                        described.Headers[name] = new OpenApiHeaderReference(name, document);
                    }
                }

                return Task.CompletedTask;
            });
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Sessions",
                    Version = "v1",
                    Description = "State of multi-step user journeys: wizard sessions, wizard runs, calculator sessions, "
                                  + "connector sessions and tenant onboarding.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key: Authorization: Bearer ses_<prefix>_<secret>.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
                document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
                foreach (var (name, description) in RateLimiting.HeaderDescriptions.Append(new("Retry-After", "Seconds to wait before trying again.")))
                {
                    document.Components.Headers[name] = IntegerHeader(description);
                }

                document.Components.Headers[CrossOrigin.AllowOriginHeader] = new OpenApiHeader
                {
                    Description = CrossOrigin.AllowOriginDescription,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", MaxLength = WireLimits.MaxUrlLength },
                };

                return Task.CompletedTask;
            });
        });

    private static OpenApiHeader IntegerHeader(string description) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };
}

/// <summary>
/// Declares the refusals that come from cross-cutting rules rather than from an action's own
/// logic, so the document and the generated clients know them without each action repeating
/// them: 401/403/429 for authenticated actions, 400 where there is input, 404 where the path has
/// values, 413/415 where there is
/// a body, 409/422 where Idempotency-Key is honoured, 412 where If-Match is, and 500 and 503 (the
/// database cannot be reached) everywhere.
/// </summary>
public sealed class StandardResponsesConvention : IApplicationModelConvention
{
    public void Apply(ApplicationModel application)
    {
        foreach (var action in application.Controllers.SelectMany(c => c.Actions))
        {
            var statuses = new SortedSet<int> { StatusCodes.Status500InternalServerError, StatusCodes.Status503ServiceUnavailable };
            if (!action.Attributes.OfType<IAllowAnonymous>().Any())
            {
                statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests]);
            }

            if (action.Parameters.Count > 0)
            {
                statuses.Add(StatusCodes.Status400BadRequest);
            }

            // A path whose values do not fit the route (a project id that is not a number) matches no route.
            if (action.Parameters.Any(p => p.BindingInfo?.BindingSource == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path
                                           || action.Selectors.Any(s => s.AttributeRouteModel?.Template?.Contains($"{{{p.ParameterName}", StringComparison.Ordinal) == true)))
            {
                statuses.Add(StatusCodes.Status404NotFound);
            }

            if (action.Parameters.Any(p => p.Attributes.OfType<FromBodyAttribute>().Any()))
            {
                statuses.UnionWith([StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
            }

            if (action.Attributes.OfType<IdempotentAttribute>().Any())
            {
                statuses.UnionWith([StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity]);
            }

            if (action.Parameters.Any(p => p.Attributes.OfType<FromHeaderAttribute>().Any(h => h.Name == "If-Match")))
            {
                statuses.Add(StatusCodes.Status412PreconditionFailed);
            }

            var declared = action.Attributes.OfType<IApiResponseMetadataProvider>().Select(r => r.StatusCode).ToHashSet();
            foreach (var status in statuses.Where(s => !declared.Contains(s)))
            {
                action.Filters.Add(new ProducesResponseTypeAttribute(typeof(ProblemDetails), status, Problems.ContentType));
            }
        }
    }
}
