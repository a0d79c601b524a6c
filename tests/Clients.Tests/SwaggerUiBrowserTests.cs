using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Client;

namespace Sessions.Clients.Tests;

/// <summary>
/// Swagger UI and ReDoc work in a real browser against the live service: Debian's chromium driven
/// through chromium-driver (scripts/chromium.sh installs both; SESSIONS_CHROMIUM and
/// SESSIONS_CHROMEDRIVER point elsewhere). Nothing is downloaded: the pages' scripts are served by
/// the service itself.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class SwaggerUiBrowserTests(KestrelHosts hosts)
{
    private static readonly TimeSpan Patience = Browser.Patience;

    [Theory, ClassData(typeof(Databases))]
    public async Task SwaggerUi_AuthorizesWithAnApiKey_AndTriesOutListWizards(string database)
    {
        var (user, http) = await hosts.UserAsync(database);
        var wizards = (await new WizardSessionsClient(http).ListWizardsAsync()).Data.Select(w => w.Wizard_id).ToList();
        using var browser = Browser.Start();
        var driver = browser.Driver;

        driver.Navigate().GoToUrl(new Uri(http.BaseAddress!, "/swagger"));
        Click(driver, By.CssSelector(".swagger-ui .auth-wrapper .btn.authorize"));
        Find(driver, By.CssSelector(".modal-ux .auth-container input")).SendKeys(user.Token);
        Click(driver, By.CssSelector(".modal-ux .auth-btn-wrapper .btn.authorize"));
        Find(driver, By.CssSelector(".modal-ux .auth-btn-wrapper .btn-done")).Click();

        var operation = Find(driver, By.Id("operations-WizardSessions-ListWizards"));
        operation.FindElement(By.CssSelector(".opblock-summary")).Click();
        Click(operation, By.CssSelector(".try-out__btn"));
        Click(operation, By.CssSelector(".execute"));

        var status = Find(operation, By.CssSelector(".live-responses-table .response .response-col_status"));
        var body = Find(operation, By.CssSelector(".live-responses-table .response .response-col_description pre"));
        status.Text.Trim().Should().Be("200");
        body.Text.Should().Contain("\"data\"");
        wizards.Should().NotBeEmpty();
        foreach (var wizard in wizards)
        {
            body.Text.Should().Contain($"\"{wizard}\"");
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task ReDoc_RendersTheOperationList(string database)
    {
        var host = await hosts.For(database);
        var document = RepositoryFiles.OpenApiDocument();
        var operationIds = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => operation.Value!["operationId"]!.GetValue<string>()))
            .ToList();
        using var browser = Browser.Start();
        var driver = browser.Driver;

        driver.Navigate().GoToUrl(new Uri(host.BaseAddress!, "/redoc"));

        // Read in one script each: element by element is slow on a loaded machine.
        // ReDoc renders on the page's one thread: while it is busy a script may time out, and is tried again.
        var wait = new WebDriverWait(driver, Patience);
        wait.IgnoreExceptionTypes(typeof(WebDriverTimeoutException));
        var listed = wait.Until(d =>
        {
            var items = ((IJavaScriptExecutor)d).ExecuteScript(
                "return Array.from(document.querySelectorAll(\"li[data-item-id*='operation/']\"), item => item.getAttribute('data-item-id'));");
            var ids = ((IEnumerable<object>)items!).Select(id => ((string)id).Split("operation/")[1]).ToHashSet();
            return ids.Count >= operationIds.Count ? ids : null;
        });
        listed.Should().BeEquivalentTo(operationIds);
        ((IJavaScriptExecutor)driver).ExecuteScript("return document.body.innerText;").Should().BeOfType<string>()
            .Which.Should().Contain("Lists every wizard with its screens.");
    }

    private static IWebElement Find(ISearchContext context, By by) =>
        new DefaultWait<ISearchContext>(context) { Timeout = Patience, PollingInterval = TimeSpan.FromMilliseconds(200) }
            .Until(c => c.FindElements(by).FirstOrDefault(e => e.Displayed));

    /// <summary>Clicks once the element is there (Swagger UI renders as it loads).</summary>
    private static void Click(ISearchContext context, By by) => Find(context, by).Click();
}
