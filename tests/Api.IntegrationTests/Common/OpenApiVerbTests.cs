using System.Text.Json.Nodes;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Common;

/// <summary>The <c>openapi</c> verb, which the build uses to write openapi/sessions.v1.json, prints the document the server serves.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiVerbTests(ApiHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task TheOpenApiVerb_WritesTheDocumentTheServerServes(string database)
    {
        var host = await hosts.For(database);
        var output = Path.Combine(Path.GetTempPath(), $"sessions-openapi-{Guid.NewGuid():N}.json");
        try
        {
            var result = await ServiceProcess.RunVerbAsync(host.Database, "openapi", "--output", output);

            result.ExitCode.Should().Be(0, result.Error);
            var written = JsonNode.Parse(await File.ReadAllTextAsync(output));
            var served = JsonNode.Parse(await host.CreateClient(token: null).GetStringAsync("/openapi/v1.json"));
            written!["x-generator"]!.GetValue<string>().Should().StartWith("NSwag");
            JsonNode.DeepEquals(written, served).Should().BeTrue("the verb and the server use one registration");
        }
        finally
        {
            File.Delete(output);
        }
    }
}
