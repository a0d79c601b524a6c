using System.Text.Json.Nodes;
using AutoMapper;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Application.ConnectorSessions.Queries;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.UnitTests.Common;

public sealed class MappingTests
{
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddLogging()
        .AddApplication(autoMapperLicenseKey: null)
        .BuildServiceProvider();

    [Fact]
    public void Configuration_IsValid()
    {
        var configuration = Services.GetRequiredService<IMapper>().ConfigurationProvider;

        configuration.Invoking(c => c.AssertConfigurationIsValid()).Should().NotThrow();
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
}
