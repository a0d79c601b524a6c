using Sessions.Domain.Common;
using Sessions.Domain.WizardRuns;

namespace Sessions.Domain.UnitTests.WizardRuns;

public sealed class WizardRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 26, 8, 30, 0, TimeSpan.Zero);

    private static WizardRunState State(RunPhase phase = RunPhase.Running, string workflow = "setup", string skill = "nextjs",
        IReadOnlyList<WizardTask>? tasks = null) =>
        new(workflow, skill, Now.AddMinutes(-5), phase, tasks ?? [new WizardTask("t1", "Install", WizardTaskStatus.InProgress)],
            """{"steps":[]}""", null, null, "hand over");

    [Fact]
    public void Record_KeepsThePushAndAnnouncesIt()
    {
        var run = WizardRun.Record(7, "setup-nextjs-2026-03-26T08:25:00Z", State(), Now);

        run.ProjectId.Should().Be(7);
        run.Tasks.Should().ContainSingle().Which.Title.Should().Be("Install");
        run.CreatedAt.Should().Be(Now);
        run.Version.Should().Be(1);
        run.DomainEvents.Should().Equal(new WizardRunUpserted(7, "setup-nextjs-2026-03-26T08:25:00Z", "setup", "nextjs"));
    }

    [Fact]
    public void Replace_ReplacesTheWholeState_KeepsCreation_AndBumpsTheVersion()
    {
        var run = WizardRun.Record(7, "s1", State(), Now);

        run.Replace(State(RunPhase.Completed, tasks: []), Now.AddMinutes(1));

        run.RunPhase.Should().Be(RunPhase.Completed);
        run.Tasks.Should().BeEmpty();
        run.CreatedAt.Should().Be(Now);
        run.UpdatedAt.Should().Be(Now.AddMinutes(1));
        run.Version.Should().Be(2);
        run.DomainEvents.Should().HaveCount(2);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Record_WithAnInvalidSessionId_IsRefused(string sessionId)
    {
        var record = () => WizardRun.Record(7, sessionId, State(), Now);

        record.Should().Throw<RuleViolationException>().Which.Field.Should().Be("session_id");
    }

    [Fact]
    public void Replace_WithAnInvalidWorkflowOrTooManyTasks_IsRefusedAndChangesNothing()
    {
        var run = WizardRun.Record(7, "s1", State(), Now);
        var tooMany = Enumerable.Range(0, WizardRun.MaxTasks + 1).Select(i => new WizardTask($"t{i}", "x", WizardTaskStatus.Pending)).ToList();

        run.Invoking(r => r.Replace(State(workflow: "bad workflow"), Now)).Should().Throw<RuleViolationException>()
            .Which.Field.Should().Be("workflow_id");
        run.Invoking(r => r.Replace(State(tasks: tooMany), Now)).Should().Throw<RuleViolationException>()
            .Which.Code.Should().Be("too_many_tasks");
        run.Version.Should().Be(1);
        run.WorkflowId.Should().Be("setup");
    }

    [Theory]
    [InlineData(RunPhase.Running, 11, true)]
    [InlineData(RunPhase.Idle, 11, true)]
    [InlineData(RunPhase.Running, 9, false)]
    [InlineData(RunPhase.Completed, 60, false)]
    [InlineData(RunPhase.Error, 60, false)]
    public void IsStale_WhenUnfinishedAndSilentLongerThanTheLimit(RunPhase phase, int silentMinutes, bool stale)
    {
        var run = WizardRun.Record(7, "s1", State(phase), Now);

        run.IsStaleAt(Now.AddMinutes(silentMinutes), TimeSpan.FromMinutes(10)).Should().Be(stale);
    }
}
