using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NJsonSchema;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// Driven by openapi/sessions.v1.json: for every operation, invalid inputs generated from its
/// parameters and body schema (wrong types, nulls, missing required fields, oversize and odd
/// strings, extreme numbers, malformed JSON, deep nesting, invalid UTF-8, bad path and query values)
/// never get a 5xx, always a status the document lists for the operation, with a problem body; and a
/// valid request's answer validates against the schema the document gives for it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SchemaDrivenTests(ApiHosts hosts)
{
    private static readonly JsonObject Document = RepositoryFiles.OpenApiDocument();

    private static readonly string[] BadPathValues =
        ["%20", "-1", "0", "99999999999999999999999", "%E2%9C%93", "..%2F..%2Fetc", "%7B%7D", new string('x', 300)];

    private static readonly string[] BadQueryValues = ["abc", "-1", "99999999999999999999", "", "%00", "1.5"];

    private static readonly string[] OddStrings =
        ["", new string('x', 200_000), "\u0000", "\\ud800", "\u202etxt.exe", string.Concat(Enumerable.Repeat("🙂", 2000)), "<script>", "' OR 1=1 --"];

    private static readonly string[] ExtremeNumbers = ["1e308", "-1e308", "9223372036854775808", "-9223372036854775809", "0.5", "-1"];

    [Theory, ClassData(typeof(Databases))]
    public async Task InvalidInputs_GetADocumentedProblem_NeverA5xx(string database)
    {
        var host = await hosts.For(database);
        var owned = await OwnedResources.CreateAsync(host);
        var failures = new List<string>();
        var sent = 0;

        foreach (var (route, operation) in Operations())
        {
            var documented = operation["responses"]!.AsObject().Select(r => r.Key).ToHashSet();
            foreach (var (label, request) in InvalidRequests(route, operation, owned))
            {
                using (request)
                using (var response = await owned.Owner.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
                {
                    sent++;
                    var status = (int)response.StatusCode;
                    var type = response.Content.Headers.ContentType?.MediaType;
                    if (status >= 500 || !documented.Contains(status.ToString()))
                    {
                        failures.Add($"{route} {label}: {status} (documented: {string.Join(',', documented)}) {await Body(response)}");
                    }
                    else if (status >= 400 && type != "application/problem+json")
                    {
                        failures.Add($"{route} {label}: {status} as {type}");
                    }
                }
            }
        }

        failures.Should().BeEmpty();
        sent.Should().BeGreaterThan(500);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ValidRequests_AnswerWhatTheDocumentDescribes(string database)
    {
        var host = await hosts.For(database);
        var owned = await OwnedResources.CreateAsync(host);
        var failures = new List<string>();

        // Deletions last, so every other route still finds what it reads.
        foreach (var (route, operation) in Operations().OrderBy(o => o.Route.StartsWith("DELETE", StringComparison.Ordinal)))
        {
            if (route.EndsWith("/stream", StringComparison.Ordinal))
            {
                continue; // an event stream, not a JSON answer: its frames are checked by the WizardRuns tests
            }

            using var response = await owned.Owner.Client.SendAsync(owned.Request(route, RouteSamples.All[route]));
            var status = ((int)response.StatusCode).ToString();
            var body = await response.Content.ReadAsStringAsync();
            if (operation["responses"]![status] is not JsonObject documented)
            {
                failures.Add($"{route}: {status} is not documented: {body}");
                continue;
            }

            if (documented["content"]?[response.Content.Headers.ContentType?.MediaType ?? ""]?["schema"] is not JsonObject schema)
            {
                continue; // no body documented (204, 201 without content)
            }

            var validator = await JsonSchema.FromJsonAsync(SchemaText(schema));
            foreach (var error in validator.Validate(body))
            {
                failures.Add($"{route} {status}: {error.Path} {error.Kind}: {body}");
            }
        }

        failures.Should().BeEmpty();
    }

    /// <summary>
    /// The bounds the document declares for request bodies and headers are the service's rules, not
    /// decoration: one past each maxLength, maxItems, minimum or maximum is refused with 400 naming
    /// the field.
    /// </summary>
    [Theory, ClassData(typeof(Databases))]
    public async Task DeclaredLimits_AreEnforced(string database)
    {
        var host = await hosts.For(database);
        var owned = await OwnedResources.CreateAsync(host);
        var failures = new List<string>();
        var checkedLimits = 0;

        foreach (var (route, operation) in Operations())
        {
            foreach (var (label, field, request) in OnePastEachLimit(route, operation, owned))
            {
                checkedLimits++;
                using (request)
                using (var response = await owned.Owner.Client.SendAsync(request))
                {
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.BadRequest || !body.Contains(field, StringComparison.Ordinal))
                    {
                        failures.Add($"{route} {label}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
                    }
                }
            }
        }

        failures.Should().BeEmpty();
        checkedLimits.Should().BeGreaterThan(30);
    }

    [Fact]
    public void EveryOperationOfTheDocument_HasASampleRequest() =>
        Operations().Select(o => o.Route).Should().BeEquivalentTo(RouteSamples.All.Keys);

    /// <summary>Every operation, keyed like <see cref="RouteSamples"/>: "METHOD template".</summary>
    private static IEnumerable<(string Route, JsonObject Operation)> Operations() =>
        from path in Document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        where operation.Key is "get" or "put" or "post" or "delete" or "patch" or "head"
        select ($"{operation.Key.ToUpperInvariant()} {path.Key.TrimStart('/')}", operation.Value!.AsObject());

    private static IEnumerable<(string Label, HttpRequestMessage Request)> InvalidRequests(string route, JsonObject operation, OwnedResources owned)
    {
        var sample = RouteSamples.All[route];
        var (method, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];

        foreach (var name in parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!))
        {
            foreach (var bad in BadPathValues)
            {
                yield return ($"path {name}={bad[..Math.Min(bad.Length, 20)]}", owned.Request($"{method} {template.Replace($"{{{name}}}", bad)}", sample));
            }
        }

        foreach (var name in parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!))
        {
            foreach (var bad in BadQueryValues)
            {
                var request = owned.Request(route, sample);
                request.RequestUri = new Uri($"{request.RequestUri}{(request.RequestUri!.OriginalString.Contains('?') ? '&' : '?')}{name}={bad}", UriKind.Relative);
                yield return ($"query {name}={bad}", request);
            }
        }

        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is not JsonObject bodySchema)
        {
            yield break;
        }

        var valid = JsonNode.Parse(Text(owned.Request(route, sample)) ?? "{}")!;
        foreach (var raw in new[] { "null", "[]", "\"text\"", "123", "{", "{\"a\":}", new string('[', 5000) + new string(']', 5000) })
        {
            yield return ($"body {raw[..Math.Min(raw.Length, 12)]}", WithBody(owned, route, sample, Encoding.UTF8.GetBytes(raw)));
        }

        yield return ("body invalid UTF-8", WithBody(owned, route, sample, [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}']));
        yield return ("body over 1 MiB", WithBody(owned, route, sample, Encoding.UTF8.GetBytes($$"""{"x":"{{new string('x', 1_100_000)}}"}""")));

        var schema = Resolve(bodySchema);
        var properties = schema["properties"]?.AsObject() ?? [];
        foreach (var required in schema["required"]?.AsArray().Select(r => (string)r!) ?? [])
        {
            var missing = valid.DeepClone().AsObject();
            missing.Remove(required);
            yield return ($"without {required}", WithBody(owned, route, sample, Encoding.UTF8.GetBytes(missing.ToJsonString())));
        }

        foreach (var (name, propertySchema) in properties)
        {
            foreach (var value in WrongValues(Resolve(propertySchema!.AsObject())))
            {
                var mutated = valid.DeepClone().AsObject();
                var text = mutated.ToJsonString();
                var replaced = mutated.ContainsKey(name)
                    ? ReplaceProperty(mutated, name, value)
                    : text.Length > 2 ? $"{text[..^1]},\"{name}\":{value}}}" : $"{{\"{name}\":{value}}}";
                yield return ($"{name}={value[..Math.Min(value.Length, 20)]}", WithBody(owned, route, sample, Encoding.UTF8.GetBytes(replaced)));
            }
        }
    }

    /// <summary>A valid request with one header or top-level body field one step past its declared bound.</summary>
    private static IEnumerable<(string Label, string Field, HttpRequestMessage Request)> OnePastEachLimit(
        string route, JsonObject operation, OwnedResources owned)
    {
        var sample = RouteSamples.All[route];
        foreach (var header in operation["parameters"]?.AsArray().Select(p => p!.AsObject()).Where(p => (string?)p["in"] == "header") ?? [])
        {
            var (name, maxLength) = ((string)header["name"]!, (int?)header["schema"]?["maxLength"]);
            if (maxLength is { } length)
            {
                var request = owned.Request(route, sample);
                request.Headers.TryAddWithoutValidation(name, name == "If-Match" ? $"\"{new string('1', length)}\"" : new string('k', length + 1));
                yield return ($"header {name} longer than {length}", name, request);
            }
        }

        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is not JsonObject bodySchema)
        {
            yield break;
        }

        var valid = JsonNode.Parse(Text(owned.Request(route, sample)) ?? "{}")!.AsObject();
        foreach (var (name, declared) in Resolve(bodySchema)["properties"]?.AsObject() ?? [])
        {
            var schema = Resolve(declared!.AsObject());
            var pastLimits = new List<(string Label, JsonNode Value)>();
            if ((int?)schema["maxLength"] is { } maxLength)
            {
                pastLimits.Add(($"{maxLength + 1} characters", JsonValue.Create(new string('a', maxLength + 1))));
            }

            if ((int?)schema["maxItems"] is { } maxItems)
            {
                var item = Resolve(schema["items"]!.AsObject());
                pastLimits.Add(($"{maxItems + 1} items", new JsonArray(Enumerable.Range(0, maxItems + 1).Select(i => Sample(item, i)).ToArray())));
            }

            if ((long?)schema["minimum"] is { } minimum && minimum > int.MinValue)
            {
                pastLimits.Add(($"{minimum - 1}", JsonValue.Create(minimum - 1)));
            }

            if ((long?)schema["maximum"] is { } maximum && maximum < int.MaxValue)
            {
                pastLimits.Add(($"{maximum + 1}", JsonValue.Create(maximum + 1)));
            }

            foreach (var (label, value) in pastLimits)
            {
                var body = valid.DeepClone().AsObject();
                body[name] = value;
                yield return ($"{name} = {label}", name, WithBody(owned, route, sample, Encoding.UTF8.GetBytes(body.ToJsonString())));
            }
        }
    }

    /// <summary>A value that fits this schema: distinct per index, so list entries do not repeat.</summary>
    private static JsonNode? Sample(JsonObject schema, int index)
    {
        if (schema["enum"] is JsonArray values)
        {
            return values.First(v => v is not null)!.DeepClone();
        }

        var types = schema["type"] is JsonArray many ? many.Select(t => (string)t!).ToList() : [(string?)schema["type"] ?? "object"];
        return types.FirstOrDefault(t => t != "null") switch
        {
            "string" => JsonValue.Create($"v{index}"),
            "integer" or "number" => JsonValue.Create((long?)schema["minimum"] ?? 1),
            "boolean" => JsonValue.Create(false),
            _ => new JsonObject((schema["properties"]?.AsObject() ?? []).Select(p =>
                KeyValuePair.Create(p.Key, Sample(Resolve(p.Value!.AsObject()), index)))),
        };
    }

    /// <summary>JSON texts that do not fit a property of this schema (or sit at the edge of what it allows).</summary>
    private static IEnumerable<string> WrongValues(JsonObject schema)
    {
        var types = schema["type"] switch
        {
            JsonArray many => many.Select(t => (string)t!).ToHashSet(),
            JsonValue one => [(string)one!],
            _ => [],
        };
        yield return "null";
        yield return "{\"nested\":{\"deeper\":[1,2,3]}}";
        yield return types.Contains("string") ? "12345" : "\"wrong type\"";
        yield return types.Contains("array") ? "{}" : "[1,\"two\",null]";
        yield return types.Contains("boolean") ? "\"true\"" : "true";
        if (types.Contains("string") || types.Count == 0)
        {
            foreach (var odd in OddStrings)
            {
                yield return System.Text.Json.JsonSerializer.Serialize(odd).Replace("\\\\ud800", "\\ud800");
            }
        }

        if (types.Contains("integer") || types.Contains("number"))
        {
            foreach (var number in ExtremeNumbers)
            {
                yield return number;
            }
        }
    }

    /// <summary>A standalone JSON Schema for a response schema: the document's schemas become its definitions.</summary>
    private static string SchemaText(JsonObject schema) => new JsonObject
    {
        ["allOf"] = new JsonArray(schema.DeepClone()),
        ["definitions"] = Document["components"]!["schemas"]!.DeepClone(),
    }.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);

    private static string ReplaceProperty(JsonObject body, string name, string value)
    {
        body[name] = "__placeholder__";
        return body.ToJsonString().Replace("\"__placeholder__\"", value);
    }

    private static JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"] is JsonValue reference)
        {
            var name = ((string)reference!).Split('/')[^1];
            schema = Document["components"]!["schemas"]![name]!.AsObject();
        }

        // Nullable references are written as anyOf/oneOf [{type: null}, {$ref}]: take the non-null branch.
        if ((schema["anyOf"] ?? schema["oneOf"]) is JsonArray branches
            && branches.Select(b => b!.AsObject()).FirstOrDefault(b => b["$ref"] is not null || (string?)b["type"] != "null") is { } branch)
        {
            return Resolve(branch);
        }

        return schema;
    }

    private static HttpRequestMessage WithBody(OwnedResources owned, string route, RouteSample sample, byte[] body)
    {
        var request = owned.Request(route, sample);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return request;
    }

    private static string? Text(HttpRequestMessage request) =>
        request.Content is null ? null : request.Content.ReadAsStringAsync().GetAwaiter().GetResult();

    private static async Task<string> Body(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 300 ? text[..300] : text;
    }
}
