using System.Reflection;
using System.Xml.Linq;

namespace Sessions.Api.IntegrationTests.Architecture;

/// <summary>References point inward only: Api -> Application + Infrastructure -> Application -> Domain -> nothing.</summary>
public sealed class LayeringTests
{
    private static readonly Assembly Domain = typeof(Sessions.Domain.Common.AggregateRoot).Assembly;
    private static readonly Assembly Application = typeof(Sessions.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Sessions.Infrastructure.DependencyInjection).Assembly;

    [Fact]
    public void Domain_ReferencesNothingButTheRuntime()
    {
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().OnlyContain(name => name == "System.Runtime" || name.StartsWith("System.", StringComparison.Ordinal)
                                                || name == "netstandard" || name == "mscorlib");
        ProjectReferences("src/Domain/Sessions.Domain.csproj").Should().BeEmpty();
    }

    [Fact]
    public void Application_ReferencesNeitherInfrastructureNorApi()
    {
        var references = Application.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.Should().NotContain(["Sessions.Infrastructure", "Sessions.Api"]);
        references.Should().NotContain(name => name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
                                              || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Infrastructure_DoesNotReferenceTheApi()
    {
        Infrastructure.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain("Sessions.Api");
    }

    private static IReadOnlyList<string> ProjectReferences(string project)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Sessions.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Sessions.sln not found above the test binaries.");
        }

        return XDocument.Load(Path.Combine(root, project)).Descendants()
            .Where(e => e.Name.LocalName is "PackageReference" or "ProjectReference" or "Reference")
            .Select(e => (string?)e.Attribute("Include") ?? string.Empty)
            .ToList();
    }
}
