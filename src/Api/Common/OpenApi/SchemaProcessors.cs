using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;
using NJsonSchema.Generation;
using Sessions.Api.Common.Errors;
using Sessions.Application.Common;

namespace Sessions.Api.Common.OpenApi;

/// <summary>
/// Marks as required every member a client must send and can count on receiving: a record's
/// constructor parameter without a default, or a <c>required</c> member. The service writes every
/// member (nulls included), so an answer always has them.
/// </summary>
public sealed class RequiredMembersProcessor(JsonSerializerOptions json) : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        foreach (var member in WireMembers.Of(json, context))
        {
            if (member.Info.IsRequired || member.Info.AssociatedParameter is { HasDefaultValue: false })
            {
                member.Schema.IsRequired = true;
            }
        }
    }
}

/// <summary>States <see cref="ItemMaxLengthAttribute"/>: the longest each string of a list may be.</summary>
public sealed class ItemMaxLengthProcessor(JsonSerializerOptions json) : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        foreach (var member in WireMembers.Of(json, context))
        {
            if (member.Info.AttributeProvider?.GetCustomAttributes(typeof(ItemMaxLengthAttribute), inherit: false).FirstOrDefault()
                    is ItemMaxLengthAttribute items && member.Schema.Item is { } item)
            {
                item.MaxLength = items.Length;
            }
        }
    }
}

/// <summary>States the bounds <see cref="Problems.Bound"/> keeps every problem within.</summary>
public sealed class ProblemDetailsLimitsProcessor : ISchemaProcessor
{
    public void Process(SchemaProcessorContext context)
    {
        if (context.ContextualType.Type == typeof(ProblemDetails))
        {
            Problems.DescribeLimits(context.Schema);
        }
    }
}

/// <summary>The members of an object schema, each with how the service's serializer writes it.</summary>
internal static class WireMembers
{
    public static IEnumerable<(JsonPropertyInfo Info, NJsonSchema.JsonSchemaProperty Schema)> Of(JsonSerializerOptions json, SchemaProcessorContext context)
    {
        var type = context.ContextualType.Type;
        if (context.Schema.Properties.Count == 0 || type.IsPrimitive || type == typeof(string) || type.IsEnum)
        {
            return [];
        }

        var info = json.GetTypeInfo(type);
        return info.Kind != JsonTypeInfoKind.Object
            ? []
            : info.Properties.Where(p => context.Schema.Properties.ContainsKey(p.Name)).Select(p => (p, context.Schema.Properties[p.Name]));
    }
}
