using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sessions.Api.IntegrationTests.Infrastructure;

public static class HttpAssertions
{
    /// <summary>Asserts the status and that the body is RFC 9457 problem details; returns the body.</summary>
    public static async Task<JsonObject> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        (response.Content.Headers.ContentType?.MediaType).Should().Be("application/problem+json", text);
        var problem = JsonNode.Parse(text)!.AsObject();
        problem["status"]!.GetValue<int>().Should().Be((int)status);
        problem["title"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        problem.ToJsonString().Should().NotContain("   at ", "a problem never carries a stack trace");
        return problem;
    }

    public static async Task<JsonObject> ShouldBeJsonAsync(this HttpResponseMessage response, HttpStatusCode status) =>
        (await response.ShouldBeJsonNodeAsync(status)).AsObject();

    /// <summary>For the lists the seeds answer as a bare JSON array.</summary>
    public static async Task<JsonArray> ShouldBeJsonArrayAsync(this HttpResponseMessage response, HttpStatusCode status) =>
        (await response.ShouldBeJsonNodeAsync(status)).AsArray();

    private static async Task<JsonNode> ShouldBeJsonNodeAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        (response.Content.Headers.ContentType?.MediaType).Should().Be("application/json", text);
        return JsonNode.Parse(text)!;
    }

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public static JsonContent Json(object value) => JsonContent.Create(value, options: new JsonSerializerOptions());
}
