using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Sessions.Api.Common.Json;

/// <summary>
/// Every place where a JSON body does not fit the type it binds to, keyed by its wire path
/// (<c>run_phase</c>, <c>tasks[3].status</c>, <c>body</c> for the whole body) with a message in
/// words. The serializer stops at its first error and names it by a JSON path and a .NET type;
/// this walks the serializer's own contract for the type (<see cref="JsonTypeInfo"/>: names,
/// required members, element types, converters), so it agrees with what binding accepts.
/// </summary>
public static class WireShape
{
    /// <summary>The key of an error about the body as a whole.</summary>
    public const string Body = "body";

    public static Dictionary<string, List<string>> Errors(JsonElement body, Type type, JsonSerializerOptions options)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Walk(body, options.GetTypeInfo(type), path: "", errors);
        return errors;
    }

    /// <summary>Appends a member to a wire path: <c>a.b</c>, or <c>a['b c']</c> when the name is not a plain word.</summary>
    public static string Member(string path, string name)
    {
        if (name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return path.Length == 0 ? name : $"{path}.{name}";
        }

        return $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";
    }

    public static string Item(string path, int index) => $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>How a message names the place: its wire path, or "the body".</summary>
    public static string Subject(string path) => path.Length == 0 || path == Body ? "The body" : $"'{path}'";

    private static void Walk(JsonElement element, JsonTypeInfo info, string path, Dictionary<string, List<string>> errors)
    {
        var type = info.Type;
        if (element.ValueKind == JsonValueKind.Null)
        {
            // As the serializer reads it: null fits anything but a value type that is not Nullable<T>.
            if (type.IsValueType && Nullable.GetUnderlyingType(type) is null)
            {
                Add(errors, path, $"{Subject(path)} must not be null; it {Expectation(type, info.Options)}.");
            }

            return;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            Walk(element, info.Options.GetTypeInfo(underlying), path, errors);
            return;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind != JsonValueKind.Object:
            case JsonTypeInfoKind.Dictionary when element.ValueKind != JsonValueKind.Object:
                Add(errors, path, $"{Subject(path)} must be a JSON object.");
                return;
            case JsonTypeInfoKind.Enumerable when element.ValueKind != JsonValueKind.Array:
                Add(errors, path, $"{Subject(path)} must be an array.");
                return;
            case JsonTypeInfoKind.Object:
                WalkMembers(element, info, path, errors);
                return;
            case JsonTypeInfoKind.Dictionary:
                var values = info.Options.GetTypeInfo(info.ElementType!);
                foreach (var member in element.EnumerateObject())
                {
                    Walk(member.Value, values, Member(path, member.Name), errors);
                }

                return;
            case JsonTypeInfoKind.Enumerable:
                var items = info.Options.GetTypeInfo(info.ElementType!);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, items, Item(path, index++), errors);
                }

                return;
            default:
                if (!Reads(element, info))
                {
                    Add(errors, path, $"{Subject(path)} {Expectation(type, info.Options)}{Range(element, type)}.");
                }

                return;
        }
    }

    private static void WalkMembers(JsonElement element, JsonTypeInfo info, string path, Dictionary<string, List<string>> errors)
    {
        var comparison = info.Options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        foreach (var property in info.Properties)
        {
            if (property.Set is null && property.AssociatedParameter is null)
            {
                continue; // read-only: the serializer skips it when reading
            }

            var found = false;
            foreach (var member in element.EnumerateObject())
            {
                if (comparison.Equals(member.Name, property.Name))
                {
                    found = true;
                    Walk(member.Value, info.Options.GetTypeInfo(property.PropertyType), Member(path, property.Name), errors);
                }
            }

            if (!found && property.IsRequired)
            {
                Add(errors, Member(path, property.Name), $"'{property.Name}' is required.");
            }
        }
    }

    /// <summary>Whether the serializer reads this value as this type (a leaf: a number, a string, an enum, a free-form node).</summary>
    private static bool Reads(JsonElement element, JsonTypeInfo info)
    {
        try
        {
            element.Deserialize(info);
            return true;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>What a value of this type must be, in words.</summary>
    private static string Expectation(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            var names = Enum.GetValues(type).Cast<object>().Select(value => JsonSerializer.Serialize(value, type, options).Trim('"'));
            return $"must be one of {string.Join(", ", names)}";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64
                or TypeCode.UInt64 => "must be a whole number",
            TypeCode.Decimal or TypeCode.Double or TypeCode.Single => "must be a number",
            TypeCode.Boolean => "must be true or false",
            TypeCode.String or TypeCode.Char => "must be a string",
            TypeCode.DateTime => "must be an ISO 8601 date-time such as 2026-03-26T10:30:00Z",
            _ when type == typeof(DateTimeOffset) => "must be an ISO 8601 date-time such as 2026-03-26T10:30:00Z",
            _ when type == typeof(Guid) => "must be a UUID",
            _ when type == typeof(JsonObject) => "must be a JSON object",
            _ when type == typeof(JsonArray) => "must be an array",
            _ => "is not a valid value here",
        };
    }

    /// <summary>For a whole number out of its type's range, the range.</summary>
    private static string Range(JsonElement element, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum || element.ValueKind != JsonValueKind.Number || element.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            return "";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 => $" from {int.MinValue} to {int.MaxValue}",
            TypeCode.Int64 => $" from {long.MinValue} to {long.MaxValue}",
            _ => "",
        };
    }

    private static void Add(Dictionary<string, List<string>> errors, string path, string message)
    {
        var key = path.Length == 0 ? Body : path;
        if (!errors.TryGetValue(key, out var messages))
        {
            errors[key] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>A serializer path (<c>$.tasks[3].status</c>, <c>$['a b']</c>, <c>$</c>) as a wire path.</summary>
    public static string FromJsonPath(string? jsonPath) => jsonPath switch
    {
        null or "" or "$" => Body,
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ when jsonPath.StartsWith('$') => jsonPath[1..],
        _ => jsonPath,
    };
}
