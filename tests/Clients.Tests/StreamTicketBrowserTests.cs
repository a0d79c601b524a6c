using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Client;

namespace Sessions.Clients.Tests;

/// <summary>
/// The live stream's real consumer: a web page on another origin, whose EventSource cannot send an
/// Authorization header. The page gets only a ticket (minted here through the generated client, as the
/// page's own server would), opens the stream across origins, and hears an upsert made afterwards.
/// </summary>
public sealed class StreamTicketBrowserTests
{
    [Theory, ClassData(typeof(Databases))]
    public async Task APageOnAnotherOrigin_OpensTheStreamWithATicket_AndHearsAnUpsert(string database)
    {
        var pagePort = ServiceProcess.FreePort();
        var pageOrigin = $"http://127.0.0.1:{pagePort}";
        await using var host = await ApiHost.StartAsync(database, new Dictionary<string, string?> { ["Sessions:Api:CorsOrigins:0"] = pageOrigin },
            kestrel: true);
        var user = await host.CreateUserAsync(projects: [1]);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);

        var runs = new WizardRunsClient(http);
        var ticket = await runs.CreateWizardRunStreamTicketAsync(1);
        var stream = new Uri(host.BaseAddress!, $"/api/projects/1/wizard/sessions/stream?workflow_id=browser&ticket={Uri.EscapeDataString(ticket.Ticket)}");
        using var page = PageServer.Start(pagePort, $$"""
            <!doctype html>
            <html><body><script>
              window.received = []; window.opened = false; window.errors = 0;
              const source = new EventSource("{{stream}}");
              source.onopen = () => { window.opened = true; };
              source.onmessage = (frame) => window.received.push(frame.data);
              source.onerror = () => { window.errors++; };
            </script></body></html>
            """);
        using var browser = Browser.Start();
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(pageOrigin + "/");

        var wait = new WebDriverWait(driver, Browser.Patience) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.Until(d => ((IJavaScriptExecutor)d).ExecuteScript("return window.opened;") is true).Should().BeTrue();

        var sessionId = $"browser-{Guid.NewGuid():N}";
        await runs.UpsertWizardRunAsync(1, new UpsertWizardRunRequest
        {
            Session_id = sessionId,
            Workflow_id = "browser",
            Skill_id = "nextjs",
            Started_at = DateTimeOffset.UtcNow,
            Run_phase = RunPhase.Running,
            Tasks = [new WizardTaskInput { Id = "0", Title = "Install", Status = WizardTaskStatus.InProgress }],
        });

        var frames = wait.Until(d =>
        {
            var received = ((IEnumerable<object>)((IJavaScriptExecutor)d).ExecuteScript("return window.received;")!).Cast<string>().ToList();
            return received.Any(frame => JsonNode.Parse(frame)!["session_id"]!.GetValue<string>() == sessionId) ? received : null;
        });
        frames.Should().NotBeEmpty();
        ((IJavaScriptExecutor)driver).ExecuteScript("return window.errors;").Should().Be(0L, "the stream opened across origins at once");
    }

    /// <summary>One page on a loopback origin of its own, the page's server.</summary>
    private sealed class PageServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        private PageServer(int port, string html)
        {
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            var body = Encoding.UTF8.GetBytes(html);
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception) when (!_listener.IsListening)
                    {
                        return;
                    }

                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
            });
        }

        public static PageServer Start(int port, string html) => new(port, html);

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }
    }
}
