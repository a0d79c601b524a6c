using OpenQA.Selenium.Chrome;

namespace Sessions.Clients.Tests;

/// <summary>
/// Debian's chromium, headless, driven through chromium-driver (scripts/chromium.sh installs both;
/// SESSIONS_CHROMIUM and SESSIONS_CHROMEDRIVER point elsewhere), with a profile of its own.
/// </summary>
internal sealed class Browser : IDisposable
{
    /// <summary>How long a page may take to render a step: generous, a loaded CI machine renders slowly.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly string _profile = Directory.CreateTempSubdirectory("sessions-chromium-").FullName;

    private Browser()
    {
        var chromium = Environment.GetEnvironmentVariable("SESSIONS_CHROMIUM") ?? "/usr/bin/chromium";
        var chromeDriver = Environment.GetEnvironmentVariable("SESSIONS_CHROMEDRIVER") ?? "/usr/bin/chromedriver";
        if (!File.Exists(chromium) || !File.Exists(chromeDriver))
        {
            InstallChromium();
        }

        File.Exists(chromium).Should().BeTrue($"{chromium} is the browser (install it with scripts/chromium.sh)");
        File.Exists(chromeDriver).Should().BeTrue($"{chromeDriver} drives it (install it with scripts/chromium.sh)");

        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,2000",
            $"--user-data-dir={_profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromeDriver)!, Path.GetFileName(chromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, Patience);
        Driver.Manage().Timeouts().AsynchronousJavaScript = Patience;
    }

    public ChromeDriver Driver { get; }

    /// <summary>
    /// <c>dotnet test</c> on a machine that has never run the project's scripts installs the browser the same
    /// way CI does (Debian's packages), once; concurrent tests wait for the first install.
    /// </summary>
    private static void InstallChromium()
    {
        lock (Installing)
        {
            using var install = System.Diagnostics.Process.Start("bash", [Path.Combine(Sessions.Api.IntegrationTests.Infrastructure.RepositoryFiles.Root, "scripts", "chromium.sh")]);
            install.WaitForExit();
        }
    }

    private static readonly object Installing = new();

    public static Browser Start() => new();

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}
