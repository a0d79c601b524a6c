using System.Reflection;
using System.Text.RegularExpressions;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Client;

namespace Sessions.Clients.Tests;

/// <summary>
/// The C# client is consumed as a package: <c>dotnet pack</c> makes Sessions.Client.&lt;version&gt;.nupkg, and a
/// fresh console project that knows only a local folder source installs it, builds, and calls the service.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed partial class NuGetPackageTests(KestrelHosts hosts)
{
    private static readonly Lazy<Task<string>> Consumer = new(BuildConsumerAsync);

    [Theory, ClassData(typeof(Databases))]
    public async Task TheNuGetPackage_InstallsIntoAFreshConsoleProject_ThatCallsTheService(string database)
    {
        var consumer = await Consumer.Value;
        var (_, http) = await hosts.UserAsync(database);
        var expected = (await new WizardSessionsClient(http).ListWizardsAsync()).Data.Select(w => w.Wizard_id).ToList();

        var run = await Processes.RunAsync("dotnet", [consumer, http.BaseAddress!.ToString()], Path.GetDirectoryName(consumer)!,
            new Dictionary<string, string> { ["SESSIONS_API_KEY"] = http.DefaultRequestHeaders.Authorization!.Parameter! });

        run.ExitCode.Should().Be(0, run.ToString());
        expected.Should().NotBeEmpty();
        run.Output.Trim().Should().Be($"{expected.Count} wizards: {string.Join(", ", expected)}");
    }

    /// <summary>Packs the client and builds the console project once; returns the consumer's assembly.</summary>
    private static async Task<string> BuildConsumerAsync()
    {
        var scratch = Directory.CreateTempSubdirectory("sessions-client-consumer-").FullName;
        var feed = Directory.CreateDirectory(Path.Combine(scratch, "feed")).FullName;
        var project = Path.Combine(RepositoryFiles.Root, "clients", "csharp", "Sessions.Client.csproj");
        var version = VersionPattern().Match(await File.ReadAllTextAsync(project)).Groups[1].Value;
        var configuration = typeof(NuGetPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

        var pack = await Processes.RunAsync("dotnet", ["pack", project, "-c", configuration, "--no-build", "--nologo", "-o", feed], scratch);
        pack.ExitCode.Should().Be(0, pack.ToString());
        File.Exists(Path.Combine(feed, $"Sessions.Client.{version}.nupkg")).Should().BeTrue($"dotnet pack writes Sessions.Client.{version}.nupkg");

        var app = Directory.CreateDirectory(Path.Combine(scratch, "consumer")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Sessions.Client" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Sessions.Client;

            var http = new HttpClient { BaseAddress = new Uri(args[0]) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", Environment.GetEnvironmentVariable("SESSIONS_API_KEY"));
            var catalog = await new WizardSessionsClient(http).ListWizardsAsync();
            Console.WriteLine($"{catalog.Data.Count} wizards: {string.Join(", ", catalog.Data.Select(w => w.Wizard_id))}");
            """);

        // A packages folder of its own, so no copy cached by an earlier run stands in for this one.
        var build = await Processes.RunAsync("dotnet", ["build", "-c", "Release", "--nologo", "-o", Path.Combine(app, "out")], app,
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(scratch, "packages") });
        build.ExitCode.Should().Be(0, build.ToString());
        return Path.Combine(app, "out", "Consumer.dll");
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionPattern();
}
