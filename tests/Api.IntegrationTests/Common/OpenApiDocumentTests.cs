using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Common;

/// <summary>The checked-in OpenAPI document describes every route the service serves, precisely enough for generated clients.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiHosts hosts)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    [Fact]
    public async Task EveryRoute_IsDescribedInTheDocument()
    {
        var host = await hosts.For(Databases.Sqlite);
        var document = CheckedInDocument();
        var described = Operations(document).Select(o => $"{o.Method} {o.Path}").ToHashSet();

        var served = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Where(method => method != "HEAD" || e.Metadata.GetMetadata<Sessions.Api.Common.Http.HeadAnsweredByGet>() is null) // the GET's
                .Select(method => $"{method.ToLowerInvariant()} /{StripConstraints(e.RoutePattern.RawText!)}"))
            .ToList();

        served.Should().NotBeEmpty();
        served.Should().OnlyContain(route => described.Contains(route), "a route the document does not describe cannot be used by generated clients");
    }

    [Fact]
    public async Task TheServedDocument_IsTheCheckedInOne()
    {
        var host = await hosts.For(Databases.Sqlite);

        var served = JsonNode.Parse(await host.CreateClient(token: null).GetStringAsync("/openapi/v1.json"));

        served!["x-generator"]!.GetValue<string>().Should().StartWith("NSwag");

        // All of it (the bounds live in components), part by part so a failure names the part.
        var checkedIn = CheckedInDocument().AsObject();
        served.AsObject().Select(p => p.Key).Should().BeEquivalentTo(checkedIn.Select(p => p.Key));
        foreach (var (part, value) in checkedIn)
        {
            JsonNode.DeepEquals(served[part], value).Should().BeTrue($"openapi/sessions.v1.json is written by the same generator, the openapi verb ({part})");
        }
    }

    [Fact]
    public void EveryOperation_HasAnIdAndDescribesItsRefusalsAsProblemDetails()
    {
        foreach (var (method, path, operation) in Operations(CheckedInDocument()))
        {
            var name = $"{method} {path}";
            operation.Should().ContainKey("operationId", name);
            operation["operationId"]!.GetValue<string>().Should().NotBeNullOrEmpty(name);
            var responses = operation["responses"]!.AsObject();
            // An operation open to anyone (a shared result) states no security, and has no key to refuse.
            var open = operation["security"] is null or JsonArray { Count: 0 };
            responses.Select(r => r.Key).Should().Contain(open ? ["429", "500"] : ["401", "403", "429", "500"], name);
            foreach (var (status, response) in responses.Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')))
            {
                if (method == "head")
                {
                    continue; // a HEAD response has no body
                }

                var content = response!["content"]?.AsObject();
                content.Should().NotBeNull($"{name} {status} has a body");
                content!.Select(c => c.Key).Should().Equal(["application/problem+json"], $"{name} {status} is a problem and nothing else");
                var reference = content!["application/problem+json"]!["schema"]?["$ref"];
                (reference is null ? null : reference.GetValue<string>()).Should().Be("#/components/schemas/ProblemDetails", $"{name} {status}");
            }
        }
    }

    private static string StripConstraints(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\*{0,2}([^}:=?]+)[^}]*\}", "{$1}");

    private static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from entry in path.Value!.AsObject()
        where Methods.Contains(entry.Key)
        select (entry.Key, path.Key, entry.Value!.AsObject());

    private static JsonNode CheckedInDocument() => RepositoryFiles.OpenApiDocument();
}
