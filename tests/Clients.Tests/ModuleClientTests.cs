using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Client;

namespace Sessions.Clients.Tests;

/// <summary>A flow per module through the generated C# client against a real server, with typed refusals.</summary>
[Collection(ClientCollection.Name)]
public sealed class ModuleClientTests(KestrelHosts hosts)
{
    [Theory, ClassData(typeof(Databases))]
    public async Task WizardSessions_StartAnswerMoveAndComplete(string database)
    {
        var (user, http) = await hosts.UserAsync(database);
        var client = new WizardSessionsClient(http);

        var wizard = await client.GetWizardAsync("onboarding-wizard-v3");
        var session = await client.StartWizardSessionAsync(new StartWizardSessionRequest { Wizard_id = wizard.Wizard_id, User_id = user.Handle });
        var moved = await client.NextWizardStepAsync(session.Session_id, body: new WizardAnswersRequest
        {
            Answers = new Dictionary<string, ScreenAnswerDto> { ["screen-01"] = new() { Chosen = ["opt-b"] } },
        });
        moved.Current_step_index.Should().Be(1);
        var saved = await client.UpdateWizardSessionAsync(session.Session_id, new UpdateWizardSessionRequest { Action = WizardAction.PreviousStep });
        saved.Current_step_index.Should().Be(0);

        var atFirst = async () => await client.PreviousWizardStepAsync(session.Session_id);
        (await atFirst.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which.StatusCode.Should().Be(409);
        var stale = async () => await client.NextWizardStepAsync(session.Session_id, ifMatch: "\"1\"");
        (await stale.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which.StatusCode.Should().Be(412);
        (await client.DeleteWizardSessionAsync(session.Session_id)).Deleted.Should().BeTrue();
        var gone = async () => await client.GetWizardSessionAsync(session.Session_id);
        (await gone.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which.StatusCode.Should().Be(404);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task WizardRuns_UpsertListAndLatest(string database)
    {
        var client = new WizardRunsClient(await hosts.ClientForNewUserAsync(database, projects: [5]));
        var workflow = $"wf-{Guid.NewGuid():N}";
        var push = new UpsertWizardRunRequest
        {
            Session_id = $"{workflow}-nextjs-2026-03-26T10:30:00Z",
            Workflow_id = workflow,
            Skill_id = "nextjs",
            Started_at = DateTimeOffset.Parse("2026-03-26T10:30:00.250Z"),
            Run_phase = RunPhase.Running,
            Tasks = [new WizardTaskInput { Id = "0", Title = "Install", Status = WizardTaskStatus.InProgress }],
        };

        var created = await client.UpsertWizardRunAsync(5, push);
        push.Run_phase = RunPhase.Completed;
        var updated = await client.UpsertWizardRunAsync(5, push);

        created.Tasks.Should().ContainSingle().Which.Status.Should().Be(WizardTaskStatus.InProgress);
        updated.Run_phase.Should().Be(RunPhase.Completed);
        updated.Created_at.Should().Be(created.Created_at);
        (await client.GetLatestWizardRunAsync(5, workflow)).Session_id.Should().Be(push.Session_id);
        (await client.ListWizardRunsAsync(5, workflow)).Count.Should().Be(1);
        var missing = async () => await client.GetWizardRunAsync(5, "no-such-run");
        (await missing.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which.StatusCode.Should().Be(404);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task CalculatorSessions_CalculateShareAndReadTheResult(string database)
    {
        var client = new CalculatorSessionsClient(await hosts.ClientForNewUserAsync(database, organisations: ["org_42"]));

        var session = await client.OpenCalculatorSessionAsync(new OpenCalculatorSessionRequest { Mentor_id = "mentor_001", Organisation_id = "org_42" });
        var loaded = await client.DispatchCalculatorEventAsync(session.Session_id, new CalculatorEventRequest
        {
            Event = "CalculateRequested",
            Payload = new Dictionary<string, object> { ["sessions"] = 25, ["avg_minutes"] = 30, ["cost_per_session"] = 3.5, ["cost_per_hour"] = 30 },
        });
        var result = await client.GetCalculationResultAsync(loaded.Result_id!);

        loaded.State.Should().Be(CalculatorState.Loaded);
        result.Outputs.Net_benefit.Should().Be(287.50m);
        result.Outputs.Roi_percent.Should().Be(328.57m);
        (await client.DispatchCalculatorEventAsync(session.Session_id, new CalculatorEventRequest { Event = "ShareRequested" }))
            .State.Should().Be(CalculatorState.Shared);
        (await client.ListCalculatorEventsAsync(session.Session_id)).Data.Should().HaveCount(2);

        await client.DispatchCalculatorEventAsync(session.Session_id, new CalculatorEventRequest { Event = "ResetRequested" });
        var illegal = async () => await client.DispatchCalculatorEventAsync(session.Session_id, new CalculatorEventRequest { Event = "ShareRequested" });
        (await illegal.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which.StatusCode.Should().Be(409);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task Onboarding_SessionLifecycleAndTypedRefusals(string database)
    {
        var tenant = Random.Shared.Next(1_000_000, 2_000_000);
        var client = new OnboardingClient(await hosts.ClientForNewUserAsync(database, tenants: [tenant]));

        (await client.GetOnboardingSessionAsync(tenant)).Session.Should().BeNull();
        var session = await client.StartOnboardingSessionAsync(tenant);
        var moved = await client.UpdateOnboardingSessionAsync(tenant, session.Id, new UpdateOnboardingSessionRequest { Current_step = 2 });

        moved.Status.Should().Be(OnboardingStatus.InProgress);
        (await client.ListOnboardingTasksAsync(tenant)).Should().OnlyContain(t => t.Status == EvidenceStatus.Unknown);
        var blocked = async () => await client.StartOnboardingTaskRunAsync(tenant, "onboarding.connection.verify");
        (await blocked.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which.StatusCode.Should().Be(409);
        var otherTenant = async () => await client.GetOnboardingSessionAsync(tenant + 1);
        (await otherTenant.Should().ThrowAsync<ApiException<ProblemDetails>>()).Which.StatusCode.Should().Be(404);
    }
}
