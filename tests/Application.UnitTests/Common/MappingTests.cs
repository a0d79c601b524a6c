using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using AutoMapper;
using AutoMapper.Internal;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Application.ConnectorSessions.Queries;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.UnitTests.Common;

public sealed class MappingTests
{
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddLogging()
        .AddApplication()
        .BuildServiceProvider();

    [Fact]
    public void Configuration_IsValid()
    {
        var configuration = Services.GetRequiredService<IMapper>().ConfigurationProvider;

        configuration.Invoking(c => c.AssertConfigurationIsValid()).Should().NotThrow();
    }

    /// <summary>
    /// AutoMapper 14 recurses without bound through a self-referential object graph (GHSA-rvv3-g6hj-g44x,
    /// suppressed in Directory.Packages.props): every map that walks such a type must set a MaxDepth.
    /// </summary>
    [Fact]
    public void SelfReferentialMaps_AllSetAMaxDepth()
    {
        var configuration = Services.GetRequiredService<IMapper>().ConfigurationProvider;

        UnboundedSelfReferentialMaps(configuration).Should().BeEmpty();
    }

    [Fact]
    public void SelfReferentialMapWithoutMaxDepth_IsFound()
    {
        var unbounded = new MapperConfiguration(c => c.CreateMap<Node, NodeDto>());
        var bounded = new MapperConfiguration(c => c.CreateMap<Node, NodeDto>().MaxDepth(8));

        UnboundedSelfReferentialMaps(unbounded).Should().Equal($"{nameof(Node)} -> {nameof(NodeDto)}");
        UnboundedSelfReferentialMaps(bounded).Should().BeEmpty();
    }

    [Fact]
    public void ConnectorSession_MapsWithItsDataAndVersion()
    {
        var now = DateTimeOffset.UtcNow;
        var session = ConnectorSession.Create(Guid.NewGuid(), 3, new JsonObject { ["a"] = new JsonArray(1, 2) }, now);

        var dto = Services.GetRequiredService<IMapper>().Map<ConnectorSessionDto>(session);

        dto.SessionId.Should().Be(session.Id);
        dto.Version.Should().Be(1);
        JsonNode.DeepEquals(dto.Data, JsonNode.Parse("""{"a":[1,2]}""")).Should().BeTrue();
    }

    public sealed class Node
    {
        public string Name { get; init; } = "";
        public List<Node> Children { get; init; } = [];
    }

    public sealed class NodeDto
    {
        public string Name { get; init; } = "";
        public List<NodeDto> Children { get; init; } = [];
    }

    /// <summary>Member-walking maps (not converters) whose source or destination type can reach itself, without a MaxDepth.</summary>
    private static IReadOnlyList<string> UnboundedSelfReferentialMaps(IConfigurationProvider configuration) =>
        configuration.Internal().GetAllTypeMaps()
            .Where(map => !map.HasTypeConverter && map.CustomMapExpression is null && map.MaxDepth == 0)
            .Where(map => CanReachItself(map.SourceType) || CanReachItself(map.DestinationType))
            .Select(map => $"{map.SourceType.Name} -> {map.DestinationType.Name}")
            .ToList();

    private static bool CanReachItself(Type type)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(MemberTypes(type));
        while (pending.TryPop(out var next))
        {
            if (next == type)
            {
                return true;
            }

            if (seen.Add(next))
            {
                foreach (var member in MemberTypes(next))
                {
                    pending.Push(member);
                }
            }
        }

        return false;
    }

    /// <summary>The types a map would walk into from this one: its properties, and the items of its collections.</summary>
    private static IEnumerable<Type> MemberTypes(Type type)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true
                                                                       && !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return [];
        }

        var items = type.IsArray ? [type.GetElementType()!]
            : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()
            : Array.Empty<Type>();
        return type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true
            ? items
            : items.Concat(type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0)
                .Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType));
    }
}
