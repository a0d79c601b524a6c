using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.OpenApi;
using Sessions.Api.Common.Errors;

namespace Sessions.Api.Common.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddSessionsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
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
                return Task.CompletedTask;
            });
        });
}

/// <summary>
/// Declares the refusals every authenticated action can answer with (401, 403, 429, 500, and 400
/// where it takes input), so the document and the generated clients know them without each
/// action repeating them.
/// </summary>
public sealed class StandardResponsesConvention : IApplicationModelConvention
{
    public void Apply(ApplicationModel application)
    {
        foreach (var action in application.Controllers.SelectMany(c => c.Actions))
        {
            var statuses = new List<int> { StatusCodes.Status500InternalServerError };
            if (!action.Attributes.OfType<IAllowAnonymous>().Any())
            {
                statuses.AddRange([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests]);
            }

            if (action.Parameters.Count > 0)
            {
                statuses.Add(StatusCodes.Status400BadRequest);
            }

            foreach (var status in statuses)
            {
                action.Filters.Add(new ProducesResponseTypeAttribute(typeof(ProblemDetails), status, Problems.ContentType));
            }
        }
    }
}
