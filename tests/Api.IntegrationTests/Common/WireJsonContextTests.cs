using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sessions.Api.Common.Json;
using Sessions.Api.IntegrationTests.Infrastructure;

namespace Sessions.Api.IntegrationTests.Common;

/// <summary>
/// Every type an action reads or writes has its contract generated at compile time
/// (<see cref="WireJsonContext"/>) and resolved from it by the options MVC, the problem writer and the
/// run stream use; and that contract writes and reads what the reflection contract did.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WireJsonContextTests(ApiHosts hosts)
{
    [Fact]
    public async Task EveryWireType_IsResolvedFromTheGeneratedContext()
    {
        var host = await hosts.For(Databases.Sqlite);
        var wire = WireTypes(host.Services);
        wire.Keys.Should().Contain([typeof(ProblemDetails), typeof(Sessions.Application.WizardRuns.Queries.WizardRunDto)]);

        foreach (var (options, name) in SerializerOptions(host.Services))
        {
            // The framework puts its own generated problem contracts first in the problem writer's options.
            var chain = options.TypeInfoResolverChain.ToList();
            chain.Should().Contain(WireJsonContext.Default, name);
            chain.Take(chain.IndexOf(WireJsonContext.Default)).Should().AllBeAssignableTo<JsonSerializerContext>($"{name} asks generated contexts before reflection");
            var missing = Reachable(options, wire.Keys)
                .Where(info => info.OriginatingResolver is not JsonSerializerContext)
                .Select(info => $"{info.Type} ({(wire.TryGetValue(info.Type, out var where) ? where : "part of a wire type")})")
                .ToList();
            missing.Should().BeEmpty($"every type {name} reads or writes needs a [JsonSerializable] in WireJsonContext");
        }
    }

    [Fact]
    public async Task TheGeneratedContracts_AreTheReflectionContracts()
    {
        var host = await hosts.For(Databases.Sqlite);
        var options = host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;
        var reflection = new JsonSerializerOptions(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

        var compared = 0;
        foreach (var generated in Reachable(options, WireTypes(host.Services).Keys))
        {
            Describe(generated).Should().Equal(Describe(reflection.GetTypeInfo(generated.Type)), $"{generated.Type} is written and read as before");
            compared++;
        }

        compared.Should().BeGreaterThan(50);
    }

    /// <summary>The options the service serializes with: MVC's (actions, binding, the run stream's frames) and the problem writer's.</summary>
    private static IEnumerable<(JsonSerializerOptions Options, string Name)> SerializerOptions(IServiceProvider services)
    {
        yield return (services.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions, "MVC");
        yield return (services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions, "the problem writer");
    }

    /// <summary>Each request body and answer of every action as ApiExplorer describes it, with where it is used.</summary>
    private static Dictionary<Type, string> WireTypes(IServiceProvider services)
    {
        var types = new Dictionary<Type, string>
        {
            // Binding and validation refusals (Problems.Validation); the document declares every refusal as ProblemDetails.
            [typeof(HttpValidationProblemDetails)] = "a validation problem",
        };

        var actions = services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items.SelectMany(group => group.Items).ToList();
        actions.Should().NotBeEmpty();
        foreach (var action in actions)
        {
            var route = $"{action.HttpMethod} {action.RelativePath}";
            foreach (var body in action.ParameterDescriptions.Where(p => p.Source == BindingSource.Body))
            {
                types.TryAdd(Unwrap(body.Type), $"{route} request body");
            }

            foreach (var answer in action.SupportedResponseTypes.Where(r => r.Type is not null && r.Type != typeof(void)))
            {
                var type = Unwrap(answer.Type!);
                types.TryAdd(type, $"{route} {answer.StatusCode}");

                // MVC writes an answer declared as an interface by its runtime type: the List<T> a handler builds.
                if (type.IsInterface && type.IsGenericType && type.GetGenericArguments() is [var item]
                    && typeof(List<>).MakeGenericType(item) is var list && type.IsAssignableFrom(list))
                {
                    types.TryAdd(list, $"{route} {answer.StatusCode}, as written");
                }
            }
        }

        return types;
    }

    private static Type Unwrap(Type type)
    {
        while (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
               && (definition == typeof(Task<>) || definition == typeof(ValueTask<>) || definition == typeof(ActionResult<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        return type;
    }

    /// <summary>The contracts of the given types and of every type they are made of, as the options resolve them.</summary>
    private static List<JsonTypeInfo> Reachable(JsonSerializerOptions options, IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var found = new List<JsonTypeInfo>();
        var pending = new Queue<Type>(roots);
        while (pending.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            var info = options.GetTypeInfo(type);
            found.Add(info);
            var parts = info.Kind switch
            {
                JsonTypeInfoKind.Object => info.Properties.Select(p => p.PropertyType),
                JsonTypeInfoKind.Enumerable => [info.ElementType!],
                JsonTypeInfoKind.Dictionary => [info.KeyType!, info.ElementType!],
                _ => Nullable.GetUnderlyingType(type) is { } underlying ? [underlying] : [],
            };
            foreach (var part in parts)
            {
                pending.Enqueue(part);
            }
        }

        return found;
    }

    /// <summary>What decides how a type is written and read: its shape, converters, and each member as binding, the document and the wire see it.</summary>
    private static List<string> Describe(JsonTypeInfo info)
    {
        var lines = new List<string>
        {
            $"kind {info.Kind}, number handling {info.NumberHandling}, unmapped {info.UnmappedMemberHandling}, "
            + $"creation {info.PreferredPropertyObjectCreationHandling}, polymorphic {info.PolymorphismOptions is not null}",
        };
        switch (info.Kind)
        {
            case JsonTypeInfoKind.None:
                lines.Add($"converter {info.Converter.GetType()}");
                break;
            case JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary:
                lines.Add($"key {info.KeyType}, element {info.ElementType}");
                break;
            case JsonTypeInfoKind.Object:
                lines.AddRange(info.Properties.Select(p => string.Join(", ",
                    p.Name,
                    p.PropertyType,
                    $"order {p.Order}",
                    $"required {p.IsRequired}",
                    $"written {p.Get is not null}",
                    $"read {p.Set is not null || p.AssociatedParameter is not null}",
                    // A constructor parameter without a default is required in the document (RequiredMembersProcessor).
                    $"parameter {(p.AssociatedParameter is { IsMemberInitializer: false } parameter ? $"default {parameter.HasDefaultValue}" : "none")}",
                    // An optional member set through the object initializer is set even when the body lacks it.
                    $"initialized when absent {p.AssociatedParameter is { IsMemberInitializer: true } && !p.IsRequired}",
                    $"extension data {p.IsExtensionData}",
                    $"number handling {p.NumberHandling}",
                    $"creation {p.ObjectCreationHandling}",
                    $"converter {p.CustomConverter?.GetType()}",
                    $"conditional {p.ShouldSerialize is not null}",
                    $"attributes {string.Join(" ", (p.AttributeProvider?.GetCustomAttributes(inherit: false) ?? []).Select(a => a.GetType().Name).Order())}")));
                break;
        }

        return lines;
    }
}
