using System.Text.Json.Nodes;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>Files of the repository the tests run from (found above the test binaries).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    /// <summary>The checked-in OpenAPI document, openapi/sessions.v1.json.</summary>
    public static JsonObject OpenApiDocument() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "openapi", "sessions.v1.json")))!.AsObject();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Sessions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Sessions.sln was not found above the test binaries.");
    }
}
