using Sessions.Domain.Common;
using Sessions.Domain.WizardRuns;

namespace Sessions.Domain.UnitTests.WizardRuns;

public sealed class WizardRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 26, 8, 30, 0, TimeSpan.Zero);

    private static readonly WizardRunCreator Ada = new(1, "ada", "Ada Lovelace");

    private static WizardRunState State(RunPhase phase = RunPhase.Running, string workflow = "setup", string skill = "nextjs",
        IReadOnlyList<WizardTask>? tasks = null) =>
        new(workflow, skill, Now.AddMinutes(-5), phase, tasks ?? [new WizardTask("t1", "Install", WizardTaskStatus.InProgress)],
            """{"steps":[]}""", null, null, "hand over");

    [Fact]
    public void Record_KeepsThePushAndAnnouncesIt()
    {
        var run = WizardRun.Record(7, "setup-nextjs-2026-03-26T08:25:00Z", Ada, State(), Now);

        run.ProjectId.Should().Be(7);
        run.Tasks.Should().ContainSingle().Which.Title.Should().Be("Install");
        run.CreatedAt.Should().Be(Now);
        run.Version.Should().Be(1);
        run.DomainEvents.Should().Equal(new WizardRunUpserted(7, "setup-nextjs-2026-03-26T08:25:00Z", "setup", "nextjs"));
    }

    [Fact]
    public void Replace_ReplacesTheWholeState_KeepsCreation_AndBumpsTheVersion()
    {
        var run = WizardRun.Record(7, "s1", Ada, State(), Now);

        run.Replace(Ada, State(RunPhase.Completed, tasks: []), Now.AddMinutes(1));

        run.RunPhase.Should().Be(RunPhase.Completed);
        run.Tasks.Should().BeEmpty();
        run.CreatedAt.Should().Be(Now);
        run.UpdatedAt.Should().Be(Now.AddMinutes(1));
        run.Version.Should().Be(2);
        run.DomainEvents.Should().HaveCount(2);
    }

    [Fact]
    public void OnlyTheCreator_MayReplace_AndTheCreatorStays()
    {
        var run = WizardRun.Record(7, "s1", Ada, State(), Now);
        var grace = new WizardRunCreator(2, "grace", null);

        run.MayBeChangedBy(Ada.UserId).Should().BeTrue();
        run.MayBeChangedBy(grace.UserId).Should().BeFalse();
        run.Invoking(r => r.Replace(grace, State(RunPhase.Completed), Now)).Should().Throw<InvalidOperationException>();
        run.RunPhase.Should().Be(RunPhase.Running);
        run.CreatedBy.Should().Be(Ada);
    }

    [Fact]
    public void ASensitivePendingInput_KeepsNoPrompts()
    {
        PendingInput.Create("q1", Now, 2, sensitive: true, ["Your API key?"]).Prompts.Should().BeEmpty();
        PendingInput.Create("q1", Now, 2, sensitive: false, ["Which framework?"]).Prompts.Should().Equal("Which framework?");
        var tooMany = () => PendingInput.Create("q1", Now, 101, sensitive: false, null);
        tooMany.Should().Throw<RuleViolationException>().Which.Field.Should().Be("pending_input.question_count");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Record_WithAnInvalidSessionId_IsRefused(string sessionId)
    {
        var record = () => WizardRun.Record(7, sessionId, Ada, State(), Now);

        record.Should().Throw<RuleViolationException>().Which.Field.Should().Be("session_id");
    }

    [Fact]
    public void Replace_WithAnInvalidWorkflowOrTooManyTasks_IsRefusedAndChangesNothing()
    {
        var run = WizardRun.Record(7, "s1", Ada, State(), Now);
        var tooMany = Enumerable.Range(0, WizardRun.MaxTasks + 1).Select(i => new WizardTask($"t{i}", "x", WizardTaskStatus.Pending)).ToList();

        run.Invoking(r => r.Replace(Ada, State(workflow: "bad workflow"), Now)).Should().Throw<RuleViolationException>()
            .Which.Field.Should().Be("workflow_id");
        run.Invoking(r => r.Replace(Ada, State(tasks: tooMany), Now)).Should().Throw<RuleViolationException>()
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
        var run = WizardRun.Record(7, "s1", Ada, State(phase), Now);

        run.IsStaleAt(Now.AddMinutes(silentMinutes), TimeSpan.FromMinutes(10)).Should().Be(stale);
    }
}
