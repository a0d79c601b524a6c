using System.Net;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Domain.Access;

namespace Sessions.Api.IntegrationTests.Security;

/// <summary>
/// Every route of the running service, against a table written by hand (never read from the
/// routes' own policies): without a key (401); with every scope but the one the table names (403)
/// and with that scope alone (allowed); and aimed at an owner's resources by strangers who differ
/// from the owner in one thing at a time (the user, or one grant): 404, or an answer that holds
/// nothing of the owner's. A route without an entry in <see cref="Expectations"/> fails the test.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiHosts hosts)
{
    // The scopes as DESIGN.md names them, spelled out so a mistaken policy cannot agree with itself.
    private const string WizardRead = "wizard_session:read";
    private const string WizardWrite = "wizard_session:write";
    private const string CalculatorRead = "calculator_session:read";
    private const string CalculatorWrite = "calculator_session:write";
    private const string ConnectorRead = "connector_session:read";
    private const string ConnectorWrite = "connector_session:write";
    private const string OnboardingRead = "onboarding:read";
    private const string OnboardingWrite = "onboarding:write";

    /// <summary>What a stranger gets from a route aimed at the owner's resources.</summary>
    public enum Stranger
    {
        /// <summary>The owner's resource does not exist for the stranger.</summary>
        NotFound,

        /// <summary>A collection or lookup that answers, with nothing of the owner's in it.</summary>
        SeesNothing,

        /// <summary>Acting for the owner (their handle or organisation) is refused.</summary>
        Forbidden,
    }

    /// <summary>What a route's resources belong to: the user, or the grant a key needs to reach them.</summary>
    public enum Owner
    {
        /// <summary>Shared by every caller with the scope (the wizard catalog).</summary>
        Nobody,

        /// <summary>Open to anyone, with no key: whoever holds the link (a shared calculator result).</summary>
        Public,
        User,
        Project,
        Tenant,
        Organisation,
    }

    /// <summary>A route of <see cref="Owner.Public"/> needs no scope (<see cref="Scope"/> null).</summary>
    internal sealed record Expectation(string? Scope, Owner Owner, Stranger Stranger);

    /// <summary>Each route's required scope, owner and answer to a stranger; the key is "METHOD template" as routed.</summary>
    internal static readonly Dictionary<string, Expectation> Expectations = new()
    {
        ["GET api/v1/session"] = new(ConnectorRead, Owner.User, Stranger.SeesNothing),
        ["POST api/v1/session"] = new(ConnectorWrite, Owner.User, Stranger.SeesNothing),
        ["POST api/v1/session/{sessionId}"] = new(ConnectorWrite, Owner.User, Stranger.SeesNothing),
        ["GET api/v1/session/{sessionId}"] = new(ConnectorRead, Owner.User, Stranger.NotFound),
        ["HEAD api/v1/session/{sessionId}"] = new(ConnectorRead, Owner.User, Stranger.NotFound),
        ["PATCH api/v1/session/{sessionId}"] = new(ConnectorWrite, Owner.User, Stranger.NotFound),
        ["PUT api/v1/session/{sessionId}"] = new(ConnectorWrite, Owner.User, Stranger.NotFound),
        ["DELETE api/v1/session/{sessionId}"] = new(ConnectorWrite, Owner.User, Stranger.NotFound),

        ["GET api/v1/wizards"] = new(WizardRead, Owner.Nobody, Stranger.SeesNothing),
        ["GET api/v1/wizards/{wizardId}"] = new(WizardRead, Owner.Nobody, Stranger.SeesNothing),
        ["GET api/v1/wizard-sessions"] = new(WizardRead, Owner.User, Stranger.SeesNothing),
        ["POST api/v1/wizard-sessions"] = new(WizardWrite, Owner.User, Stranger.Forbidden),
        ["GET api/v1/wizard-sessions/{sessionId}"] = new(WizardRead, Owner.User, Stranger.NotFound),
        ["PUT api/v1/wizard-sessions/{sessionId}"] = new(WizardWrite, Owner.User, Stranger.NotFound),
        ["DELETE api/v1/wizard-sessions/{sessionId}"] = new(WizardWrite, Owner.User, Stranger.NotFound),
        ["POST api/v1/wizard-sessions/{sessionId}/next-step"] = new(WizardWrite, Owner.User, Stranger.NotFound),
        ["POST api/v1/wizard-sessions/{sessionId}/previous-step"] = new(WizardWrite, Owner.User, Stranger.NotFound),
        ["POST api/v1/wizard-sessions/{sessionId}/save-draft"] = new(WizardWrite, Owner.User, Stranger.NotFound),

        ["GET api/projects/{projectId}/wizard/sessions"] = new(WizardRead, Owner.Project, Stranger.SeesNothing),
        ["POST api/projects/{projectId}/wizard/sessions"] = new(WizardWrite, Owner.Project, Stranger.NotFound),
        ["GET api/projects/{projectId}/wizard/sessions/latest"] = new(WizardRead, Owner.Project, Stranger.SeesNothing),
        ["GET api/projects/{projectId}/wizard/sessions/stream"] = new(WizardRead, Owner.Project, Stranger.NotFound),
        ["POST api/projects/{projectId}/wizard/sessions/stream-tickets"] = new(WizardRead, Owner.Project, Stranger.NotFound),
        ["GET api/projects/{projectId}/wizard/sessions/{sessionId}"] = new(WizardRead, Owner.Project, Stranger.NotFound),

        ["GET api/v1/benefit-calculator-sessions"] = new(CalculatorRead, Owner.Organisation, Stranger.SeesNothing),
        ["POST api/v1/benefit-calculator-sessions"] = new(CalculatorWrite, Owner.Organisation, Stranger.Forbidden),
        ["GET api/v1/benefit-calculator-sessions/{sessionId}"] = new(CalculatorRead, Owner.Organisation, Stranger.NotFound),
        ["PUT api/v1/benefit-calculator-sessions/{sessionId}"] = new(CalculatorWrite, Owner.Organisation, Stranger.NotFound),
        ["DELETE api/v1/benefit-calculator-sessions/{sessionId}"] = new(CalculatorWrite, Owner.Organisation, Stranger.NotFound),
        ["GET api/v1/benefit-calculator-sessions/{sessionId}/events"] = new(CalculatorRead, Owner.Organisation, Stranger.NotFound),
        ["GET api/v1/benefit-calculator-results/{resultId}"] = new(CalculatorRead, Owner.Organisation, Stranger.NotFound),
        ["GET api/v1/benefit-calculator-shares/{shareToken}"] = new(null, Owner.Public, Stranger.SeesNothing),

        ["POST tenants/{tenantId}/provider-connections"] = new(OnboardingWrite, Owner.Tenant, Stranger.NotFound),
        ["GET tenants/{tenantId}/provider-connections"] = new(OnboardingRead, Owner.Tenant, Stranger.NotFound),
        ["GET tenants/{tenantId}/onboarding/session"] = new(OnboardingRead, Owner.Tenant, Stranger.NotFound),
        ["POST tenants/{tenantId}/onboarding/session"] = new(OnboardingWrite, Owner.Tenant, Stranger.NotFound),
        ["PATCH tenants/{tenantId}/onboarding/session/{sessionId}"] = new(OnboardingWrite, Owner.Tenant, Stranger.NotFound),
        ["GET tenants/{tenantId}/onboarding/tasks"] = new(OnboardingRead, Owner.Tenant, Stranger.NotFound),
        ["POST tenants/{tenantId}/onboarding/tasks/{taskType}/runs"] = new(OnboardingWrite, Owner.Tenant, Stranger.NotFound),
        ["GET tenants/{tenantId}/onboarding/evidence"] = new(OnboardingRead, Owner.Tenant, Stranger.NotFound),
        ["GET tenants/{tenantId}/operation-runs/{runId}"] = new(OnboardingRead, Owner.Tenant, Stranger.NotFound),
    };

    /// <summary>Each stranger differs from the owner in exactly one thing; the user stranger also covers the shared catalog.</summary>
    public static IEnumerable<object?[]> Strangers => Databases.Crossed(
        [[Owner.User], [Owner.Project], [Owner.Tenant], [Owner.Organisation]]);

    [Fact]
    public async Task EveryRoute_HasAnEntry()
    {
        var served = await ServedRoutesAsync();

        served.Should().BeEquivalentTo(Expectations.Keys, "a new route must say its scope and what a stranger gets");
        served.Should().BeEquivalentTo(RouteSamples.All.Keys, "a new route needs a valid sample request");
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WithoutAKey_EveryRouteIs401(string database)
    {
        var host = await hosts.For(database);
        var world = await OwnedResources.CreateAsync(host);
        var anonymous = host.CreateClient(token: null);

        foreach (var route in await ServedRoutesAsync())
        {
            var response = await anonymous.SendAsync(world.Request(route, RouteSamples.All[route]));
            if (Expectations[route].Owner == Owner.Public)
            {
                response.StatusCode.Should().Be(HttpStatusCode.OK, $"{route} is open to whoever holds the link");
            }
            else
            {
                response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, route);
            }
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WithEveryScopeButItsOwn_EveryRouteIs403(string database)
    {
        var host = await hosts.For(database);
        var world = await OwnedResources.CreateAsync(host);

        foreach (var route in (await ServedRoutesAsync()).Where(route => Expectations[route].Scope is not null))
        {
            var scope = Expectations[route].Scope!;
            var lacking = await host.CreateKeyAsync(world.Owner.Handle, scopes: Scopes.All.Where(s => s != scope).ToArray(),
                projects: [world.Project], tenants: [world.Tenant], organisations: [world.Organisation]);
            var response = await lacking.Client.SendAsync(world.Request(route, RouteSamples.All[route]));
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{route} needs {scope}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WithItsScopeAlone_EveryRouteIsAllowed(string database)
    {
        var host = await hosts.For(database);
        var world = await OwnedResources.CreateAsync(host);

        // Deletions last, so every other route still finds what it acts on (any answer but 401 and 403 will do).
        foreach (var route in (await ServedRoutesAsync()).Where(route => Expectations[route].Scope is not null)
                     .OrderBy(r => r.StartsWith("DELETE", StringComparison.Ordinal)))
        {
            var scope = Expectations[route].Scope!;
            var only = await host.CreateKeyAsync(world.Owner.Handle, scopes: [scope],
                projects: [world.Project], tenants: [world.Tenant], organisations: [world.Organisation]);
            using var response = await only.Client.SendAsync(world.Request(route, RouteSamples.All[route]), HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode.Should().NotBe(HttpStatusCode.Forbidden, $"{route} needs {scope} and nothing more")
                .And.NotBe(HttpStatusCode.Unauthorized, route);
        }
    }

    [Theory, MemberData(nameof(Strangers))]
    public async Task AStranger_NeverSeesTheOwnersResources(string database, Owner differsIn)
    {
        var host = await hosts.For(database);
        var world = await OwnedResources.CreateAsync(host);
        var otherProject = world.Project + 1;
        var otherTenant = world.Tenant + 1;
        var otherOrganisation = $"org_other_{Guid.NewGuid():N}";
        var stranger = differsIn switch
        {
            Owner.User => await host.CreateUserAsync(projects: [world.Project], tenants: [world.Tenant], organisations: [world.Organisation]),
            Owner.Project => await host.CreateKeyAsync(world.Owner.Handle, projects: [otherProject], tenants: [world.Tenant], organisations: [world.Organisation]),
            Owner.Tenant => await host.CreateKeyAsync(world.Owner.Handle, projects: [world.Project], tenants: [otherTenant], organisations: [world.Organisation]),
            _ => await host.CreateKeyAsync(world.Owner.Handle, projects: [world.Project], tenants: [world.Tenant], organisations: [otherOrganisation]),
        };
        var routes = (await ServedRoutesAsync())
            .Where(route => Expectations[route].Owner == differsIn || (differsIn == Owner.User && Expectations[route].Owner == Owner.Nobody))
            .ToList();
        routes.Should().NotBeEmpty();

        foreach (var route in routes)
        {
            var request = world.Request(route, RouteSamples.All[route]);
            // What this request sends may be echoed back (a 404 names the id asked for, a session the
            // stranger created under the same id is theirs); anything else of the owner's must not
            // appear (small integer ids are too common to search for).
            var sent = $"{request.RequestUri}{(request.Content is null ? "" : await request.Content.ReadAsStringAsync())}";
            var response = await stranger.Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            switch (Expectations[route].Stranger)
            {
                case Stranger.NotFound:
                    response.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{route}: {body}");
                    break;
                case Stranger.Forbidden:
                    response.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{route}: {body}");
                    break;
                default:
                    ((int)response.StatusCode).Should().BeLessThan(300, $"{route}: {body}");
                    break;
            }

            foreach (var secret in world.Values.Values.Where(value => value.Length >= 8 && !sent.Contains(value, StringComparison.Ordinal)))
            {
                body.Should().NotContain(secret, $"{route} must not show the owner's {secret}");
            }
        }
    }

    private async Task<List<string>> ServedRoutesAsync() => RouteSamples.Served(await hosts.For(Databases.Sqlite));
}
