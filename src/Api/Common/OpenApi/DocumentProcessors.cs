using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Sessions.Api.Common.OpenApi;

/// <summary>
/// The document's title and description, its tags (one per module, in the order of the paths), and
/// its API-key security scheme (Swagger UI's Authorize button).
/// </summary>
public sealed class DocumentDescriptionProcessor : IDocumentProcessor
{
    public const string SecuritySchemeName = "Bearer";

    public void Process(DocumentProcessorContext context)
    {
        var document = context.Document;
        document.Info = new OpenApiInfo
        {
            Title = "Sessions",
            Version = OpenApiSetup.DocumentName,
            Description = "State of multi-step user journeys: wizard sessions, wizard runs, calculator sessions, "
                          + "connector sessions and tenant onboarding.",
        };

        foreach (var tag in document.Operations.SelectMany(o => o.Operation.Tags).Distinct().Where(t => document.Tags.All(d => d.Name != t)).ToList())
        {
            document.Tags.Add(new OpenApiTag { Name = tag });
        }

        document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key: Authorization: Bearer ses_<prefix>_<secret>.",
        };
    }
}

/// <summary>
/// Applies <see cref="WireLimits.Complete"/> to every schema of the document, wherever it is written,
/// and writes an integer's bounds as integers (NJsonSchema keeps bounds as decimals, which print as
/// <c>100.0</c>; a reader that takes the bound as an integer would refuse that).
/// </summary>
public sealed class FormatLimitsProcessor : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        var visited = new HashSet<JsonSchema>(ReferenceEqualityComparer.Instance);
        var document = context.Document;
        var roots = document.Components.Schemas.Values
            .Concat(document.Operations.SelectMany(o => o.Operation.Parameters.Select(p => p.Schema ?? p)))
            .Concat(document.Operations.SelectMany(o => o.Operation.RequestBody?.Content.Values.Select(c => c.Schema) ?? []))
            .Concat(document.Operations.SelectMany(o => o.Operation.Responses.Values.SelectMany(r => r.Content.Values.Select(c => c.Schema))))
            .Concat(document.Components.Headers.Values.Select(h => (h as OpenApiParameter)?.Schema ?? h));
        foreach (var root in roots)
        {
            Visit(root, visited);
        }
    }

    private static void Visit(JsonSchema? schema, HashSet<JsonSchema> visited)
    {
        if (schema is null || !visited.Add(schema))
        {
            return;
        }

        WireLimits.Complete(schema);
        if (schema.Type.HasFlag(JsonObjectType.Integer))
        {
            WriteAsInteger(schema, "minimum", schema.Minimum);
            WriteAsInteger(schema, "maximum", schema.Maximum);
            schema.Minimum = null;
            schema.Maximum = null;
        }

        foreach (var child in schema.Properties.Values.Cast<JsonSchema>()
                     .Concat(schema.OneOf).Concat(schema.AllOf).Concat(schema.AnyOf)
                     .Append(schema.Item).Append(schema.AdditionalPropertiesSchema))
        {
            Visit(child, visited);
        }
    }

    private static void WriteAsInteger(JsonSchema schema, string keyword, decimal? bound)
    {
        if (bound is { } value)
        {
            schema.ExtensionData ??= new Dictionary<string, object?>();
            schema.ExtensionData[keyword] = (long)value;
        }
    }
}
