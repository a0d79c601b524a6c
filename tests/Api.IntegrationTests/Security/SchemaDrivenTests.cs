using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Infrastructure;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// Driven by openapi/sessions.v1.json: for every operation, invalid inputs generated from its
/// parameters and body schema (wrong types, nulls, missing required fields, oversize and odd
/// strings, extreme numbers, malformed JSON, deep nesting, invalid UTF-8, bad path and query values)
/// never get a 5xx, always a status the document lists for the operation, with a problem body, and a
/// 4xx whenever the body breaks the document's schema or misses a field the service requires; a valid
/// request is answered 2xx with a body that validates against the schema the document gives for it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class SchemaDrivenTests(ApiHosts hosts)
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
        var refusable = 0;
        var badRequests = 0;

        foreach (var (route, operation) in Operations())
        {
            var documented = operation["responses"]!.AsObject().Select(r => r.Key).ToHashSet();
            foreach (var (label, request, mustRefuse) in InvalidRequests(route, operation, owned))
            {
                using (request)
                using (var response = await owned.Owner.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
                {
                    sent++;
                    refusable += mustRefuse ? 1 : 0;
                    var status = (int)response.StatusCode;
                    badRequests += status == 400 ? 1 : 0;
                    var type = response.Content.Headers.ContentType?.MediaType;
                    if (status >= 500 || !documented.Contains(status.ToString()))
                    {
                        failures.Add($"{route} {label}: {status} (documented: {string.Join(',', documented)}) {await Body(response)}");
                    }
                    else if (mustRefuse && status is < 400 or >= 500)
                    {
                        failures.Add($"{route} {label}: {status}, but the input breaks the documented schema {await Body(response)}");
                    }
                    else if (status >= 400 && type != "application/problem+json")
                    {
                        failures.Add($"{route} {label}: {status} as {type}");
                    }
                    else if (status == 400 && request.Method != HttpMethod.Head && NotInWireTerms(await response.Content.ReadAsStringAsync()) is { } leak)
                    {
                        failures.Add($"{route} {label}: 400 {leak}");
                    }
                }
            }
        }

        failures.Should().BeEmpty();
        badRequests.Should().BeGreaterThan(300, "the wire-terms check must see most refusals");
        sent.Should().BeGreaterThan(500);
        refusable.Should().BeGreaterThan(300, "most generated inputs break the schema and must be refused");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ValidRequests_Are2xx_AndAnswerWhatTheDocumentDescribes(string database)
    {
        var host = await hosts.For(database);
        var owned = await OwnedResources.CreateAsync(host);
        var failures = new List<string>();

        foreach (var (route, operation) in Operations().OrderBy(o => AnsweringOrder(o.Route)))
        {
            using var response = await owned.Owner.Client.SendAsync(owned.Request(route, RouteSamples.All[route]), HttpCompletionOption.ResponseHeadersRead);
            var status = ((int)response.StatusCode).ToString();
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (route.EndsWith("/stream", StringComparison.Ordinal))
            {
                // An open event stream: its status and media type here, its frames in the WizardRuns tests.
                if (status != "200" || operation["responses"]?["200"]?["content"]?[mediaType ?? ""] is null)
                {
                    failures.Add($"{route}: {status} as {mediaType}");
                }

                continue;
            }

            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{route}: {status} for a valid request: {body}");
                continue;
            }

            if (operation["responses"]![status] is not JsonObject documented)
            {
                failures.Add($"{route}: {status} is not documented: {body}");
                continue;
            }

            var documentedTypes = documented["content"]?.AsObject().Select(c => c.Key).ToList() ?? [];
            if (route.StartsWith("HEAD ", StringComparison.Ordinal) || (body.Length == 0 && documentedTypes.Count == 0))
            {
                continue; // no body, and none documented (204, HEAD)
            }

            if (documented["content"]?[mediaType ?? ""]?["schema"] is not JsonObject schema)
            {
                failures.Add($"{route} {status}: answered as {mediaType ?? "nothing"} ({body.Length} characters), documented as [{string.Join(", ", documentedTypes)}]");
                continue;
            }

            foreach (var error in (await Validator(schema)).Validate(body, SchemaType.OpenApi3))
            {
                failures.Add($"{route} {status}: {error.Path} {error.Kind}: {body}");
            }
        }

        failures.Should().BeEmpty();
    }

    /// <summary>
    /// What a 400 must not say: errors keyed by a serializer path (<c>$</c>, <c>$.run_phase</c>) rather
    /// than the wire path, or a .NET type or namespace (<c>Sessions.Api…</c>, <c>System.Int32</c>).
    /// </summary>
    private static string? NotInWireTerms(string body)
    {
        var problem = JsonNode.Parse(body)!.AsObject();
        if (problem["errors"] is not JsonObject { Count: > 0 } errors)
        {
            return $"names no field: {body}";
        }

        if (errors.Select(error => error.Key).FirstOrDefault(key => key.StartsWith('$')) is { } jsonPath)
        {
            return $"keys an error by the JSON path {jsonPath}";
        }

        return DotNetName().Match(body) is { Success: true } name ? $"names the .NET type {name.Value}: {body}" : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(Sessions|System|Microsoft)\.[A-Z][A-Za-z0-9_.`]*")]
    private static partial System.Text.RegularExpressions.Regex DotNetName();

    /// <summary>Answer what must be answered first: a step back needs a step forward, and deletions come last.</summary>
    private static int AnsweringOrder(string route) => route switch
    {
        _ when route.Contains("/benefit-calculator-shares/", StringComparison.Ordinal) => -1, // before a reset unshares the result
        _ when route.StartsWith("DELETE", StringComparison.Ordinal) => 2,
        _ when route.EndsWith("/previous-step", StringComparison.Ordinal) => 1,
        _ => 0,
    };

    /// <summary>
    /// The bounds the document declares for request bodies and headers are the service's rules, not
    /// decoration: a value exactly at each maxLength, maxItems, minimum or maximum, otherwise valid, is
    /// accepted, and one step past it is refused with 400 and <c>errors[field]</c>.
    /// </summary>
    [Theory, ClassData(typeof(Databases))]
    public async Task DeclaredLimits_AreEnforced(string database)
    {
        var host = await hosts.For(database);
        var owned = await OwnedResources.CreateAsync(host);
        // A key of the owner that may also act for an organisation whose id is as long as allowed.
        var longOrganisation = "org_" + new string('l', 251);
        var caller = await host.CreateKeyAsync(owned.Owner.Handle, projects: [owned.Project], tenants: [owned.Tenant],
            organisations: [owned.Organisation, longOrganisation]);
        var failures = new List<string>();
        var (atBound, pastBound) = (0, 0);

        foreach (var (route, operation) in Operations())
        {
            foreach (var (label, field, past, request) in AtAndPastEachLimit(route, operation, owned, longOrganisation))
            {
                using (request)
                using (var response = await caller.Client.SendAsync(request))
                {
                    var body = await response.Content.ReadAsStringAsync();
                    var named = response.StatusCode == HttpStatusCode.BadRequest
                                && JsonNode.Parse(body)?["errors"]?[field] is JsonArray { Count: > 0 };
                    if (past ? !named : !response.IsSuccessStatusCode)
                    {
                        failures.Add($"{route} {label}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
                    }

                    (atBound, pastBound) = past ? (atBound, pastBound + 1) : (atBound + 1, pastBound);
                }
            }
        }

        failures.Should().BeEmpty();
        pastBound.Should().BeGreaterThan(30);
        atBound.Should().BeGreaterThan(25);
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

    /// <summary>
    /// The body fields each operation cannot do without, as DESIGN.md and the README state them (the
    /// document lists every property of a record as required, optional ones included).
    /// </summary>
    private static readonly Dictionary<string, string[]> RequiredFields = new()
    {
        ["POST api/v1/wizard-sessions"] = ["wizard_id", "user_id"],
        ["PUT api/v1/wizard-sessions/{sessionId}"] = ["action"],
        ["POST api/v1/wizard-sessions/{sessionId}/save-draft"] = ["answers"],
        ["POST api/projects/{projectId}/wizard/sessions"] = ["session_id", "workflow_id", "skill_id", "started_at", "run_phase", "tasks"],
        ["POST tenants/{tenantId}/provider-connections"] = ["display_name", "base_url", "auth_mode", "client_id", "client_secret"],
        ["PATCH api/v1/session/{sessionId}"] = ["data"],
        ["PUT api/v1/session/{sessionId}"] = ["data"],
        ["POST api/v1/benefit-calculator-sessions"] = ["mentor_id", "organisation_id"],
        ["PUT api/v1/benefit-calculator-sessions/{sessionId}"] = ["event"],
    };

    /// <param name="MustRefuse">The input breaks the document's schema or misses a required field: only a 4xx will do.</param>
    private static IEnumerable<(string Label, HttpRequestMessage Request, bool MustRefuse)> InvalidRequests(
        string route, JsonObject operation, OwnedResources owned)
    {
        var sample = RouteSamples.All[route];
        var (method, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        var parameters = operation["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];

        foreach (var name in parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!))
        {
            foreach (var bad in BadPathValues)
            {
                yield return ($"path {name}={bad[..Math.Min(bad.Length, 20)]}", owned.Request($"{method} {template.Replace($"{{{name}}}", bad)}", sample), false);
            }
        }

        foreach (var name in parameters.Where(p => (string?)p["in"] == "query").Select(p => (string)p["name"]!))
        {
            foreach (var bad in BadQueryValues)
            {
                var request = owned.Request(route, sample);
                request.RequestUri = new Uri($"{request.RequestUri}{(request.RequestUri!.OriginalString.Contains('?') ? '&' : '?')}{name}={bad}", UriKind.Relative);
                yield return ($"query {name}={bad}", request, false);
            }
        }

        if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is not JsonObject bodySchema)
        {
            yield break;
        }

        var valid = JsonNode.Parse(Text(owned.Request(route, sample)) ?? "{}")!;
        foreach (var raw in new[] { "null", "[]", "\"text\"", "123", "{", "{\"a\":}", new string('[', 5000) + new string(']', 5000) })
        {
            yield return ($"body {raw[..Math.Min(raw.Length, 12)]}", WithBody(owned, route, sample, Encoding.UTF8.GetBytes(raw)),
                raw != "null" || Violates(bodySchema, raw));
        }

        // Its invalid bytes sit in a property no operation reads, which is ignored like any unknown property.
        yield return ("body invalid UTF-8", WithBody(owned, route, sample, [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}']),
            RequiredFields.ContainsKey(route));
        yield return ("body over 1 MiB", WithBody(owned, route, sample, Encoding.UTF8.GetBytes($$"""{"x":"{{new string('x', 1_100_000)}}"}""")), true);

        var schema = Resolve(bodySchema);
        var properties = schema["properties"]?.AsObject() ?? [];
        var documentedRequired = schema["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];
        RequiredFields.GetValueOrDefault(route, []).Should().BeSubsetOf(documentedRequired, $"{route}: the document lists what the service requires");
        foreach (var required in documentedRequired)
        {
            var missing = valid.DeepClone().AsObject();
            missing.Remove(required);
            yield return ($"without {required}", WithBody(owned, route, sample, Encoding.UTF8.GetBytes(missing.ToJsonString())),
                RequiredFields.GetValueOrDefault(route, []).Contains(required));
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
                yield return ($"{name}={value[..Math.Min(value.Length, 20)]}", WithBody(owned, route, sample, Encoding.UTF8.GetBytes(replaced)),
                    Violates(propertySchema.AsObject(), value));
            }
        }
    }

    /// <summary>
    /// Fields whose valid values form a closed set, so no valid value can be made to a given length: the
    /// catalog's wizard ids, the caller's own handle (at most 64 characters), the one auth mode, the event
    /// names, an ETag of the current version, and ids that must name a member or a connection of the
    /// tenant. Their bound is checked one step past it only.
    /// </summary>
    private static readonly HashSet<string> ClosedSets =
        ["wizard_id", "user_id", "auth_mode", "event", "If-Match", "assigned_to_user_id", "provider_connection_id"];

    /// <summary>
    /// A valid request with one header or top-level body field exactly at its declared bound (unless its
    /// values are a closed set), and one with it one step past.
    /// </summary>
    private static IEnumerable<(string Label, string Field, bool Past, HttpRequestMessage Request)> AtAndPastEachLimit(
        string route, JsonObject operation, OwnedResources owned, string longOrganisation)
    {
        var sample = RouteSamples.All[route];
        foreach (var header in operation["parameters"]?.AsArray().Select(p => p!.AsObject()).Where(p => (string?)p["in"] == "header") ?? [])
        {
            var (name, maxLength) = ((string)header["name"]!, (int?)header["schema"]?["maxLength"]);
            if (maxLength is not { } length)
            {
                continue;
            }

            foreach (var past in ClosedSets.Contains(name) ? [true] : new[] { false, true })
            {
                var request = owned.Request(route, sample);
                var size = past ? length + 1 : length;
                request.Headers.TryAddWithoutValidation(name, name == "If-Match"
                    ? $"\"{new string('1', size - 2)}\""
                    : (Guid.NewGuid().ToString("N") + new string('k', size))[..size]);
                yield return ($"header {name} of {size} characters", name, past, request);
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
            var values = new List<(string Label, bool Past, JsonNode Value)>();
            if ((int?)schema["maxLength"] is { } maxLength)
            {
                values.AddRange(new[] { maxLength, maxLength + 1 }.Select(length =>
                    ($"{length} characters", length > maxLength, (JsonNode)JsonValue.Create(OfLength(name, length, longOrganisation)))));
            }

            if ((int?)schema["maxItems"] is { } maxItems)
            {
                var item = Resolve(schema["items"]!.AsObject());
                values.AddRange(new[] { maxItems, maxItems + 1 }.Select(count =>
                    ($"{count} items", count > maxItems, (JsonNode)new JsonArray(Enumerable.Range(0, count).Select(i => Sample(item, i)).ToArray()))));
            }

            if ((long?)schema["minimum"] is { } minimum && minimum > int.MinValue)
            {
                values.Add(($"{minimum}", false, JsonValue.Create(minimum)));
                values.Add(($"{minimum - 1}", true, JsonValue.Create(minimum - 1)));
            }

            if ((long?)schema["maximum"] is { } maximum && maximum < int.MaxValue)
            {
                values.Add(($"{maximum}", false, JsonValue.Create(maximum)));
                values.Add(($"{maximum + 1}", true, JsonValue.Create(maximum + 1)));
            }

            foreach (var (label, past, value) in values.Where(v => v.Past || !ClosedSets.Contains(name)))
            {
                var body = valid.DeepClone().AsObject();
                body[name] = value;
                yield return ($"{name} = {label}", name, past, WithBody(owned, route, sample, Encoding.UTF8.GetBytes(body.ToJsonString())));
            }
        }
    }

    /// <summary>A value of the field that is valid but for its length: its format, pattern or grant kept.</summary>
    private static string OfLength(string field, int length, string longOrganisation) => field switch
    {
        "locale" => Locale(length),
        "base_url" => "https://192.31.196.1/" + new string('a', length - "https://192.31.196.1/".Length),
        "started_at" => "2026-03-26T10:30:00." + new string('1', length - "2026-03-26T10:30:00.+00:00".Length) + "+00:00",
        "organisation_id" when length == longOrganisation.Length => longOrganisation,
        _ => new string('a', length),
    };

    /// <summary>A BCP 47 tag of this length: a language and subtags of up to 8 letters.</summary>
    private static string Locale(int length)
    {
        var tag = length % 9 == 3 ? "eng" : "en"; // so the last subtag gets at least one letter
        while (length - tag.Length > 9)
        {
            tag += "-abcdefgh";
        }

        return tag + "-" + new string('a', length - tag.Length - 1);
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

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<JsonSchema>> Validators = new();

    /// <summary>
    /// The document is OpenAPI 3.0: a schema is read and checked as one, so <c>nullable: true</c> allows
    /// null (plain JSON Schema would ignore the keyword and refuse every null).
    /// </summary>
    private static Task<JsonSchema> Validator(JsonObject schema) =>
        Validators.GetOrAdd(schema.ToJsonString(), _ => JsonSchemaSerialization.FromJsonAsync<JsonSchema>(SchemaText(schema), SchemaType.OpenApi3,
            documentPath: null, JsonReferenceResolver.CreateJsonReferenceResolverFactory(new DefaultTypeNameGenerator()),
            JsonSchema.CreateJsonSerializerContractResolver(SchemaType.OpenApi3), CancellationToken.None));

    /// <summary>Whether a JSON text breaks a schema of the document (type, bound, pattern, format or enum).</summary>
    private static bool Violates(JsonObject schema, string json)
    {
        // A nullable reference is {nullable: true, oneOf: [$ref]}; the validator tries the oneOf before it
        // looks at nullable, so a null where the document allows one is settled here.
        if (json == "null" && schema["nullable"] is JsonValue nullable && (bool)nullable)
        {
            return false;
        }

        try
        {
            return Validator(schema).GetAwaiter().GetResult().Validate(json, SchemaType.OpenApi3).Count > 0;
        }
        catch (InvalidCastException)
        {
            return true; // an integer past 64 bits, which no number the document declares can hold
        }
    }

    /// <summary>A standalone JSON Schema for a schema of the document: the document's schemas become its definitions.</summary>
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
