using Sessions.Domain.Common;
using Sessions.Domain.Onboarding;

namespace Sessions.Domain.UnitTests.Onboarding;

/// <summary>
/// What the aggregate itself decides about a run: queueing, finishing only under a held lease, and
/// failing once. Claiming, renewing and expiring leases (and counting attempts) are the worker's
/// conditional updates, proved through the API in OnboardingApiTests.
/// </summary>
public sealed class OperationRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 26, 8, 30, 0, TimeSpan.Zero);
    private static readonly TaskOutcome Ok = new(EvidenceStatus.Ok, null, "reachable", "{}");

    [Fact]
    public void Queue_IsAnActiveRunWithoutLeaseOrAttempts()
    {
        var run = OperationRun.Queue(7, 3, 5, "onboarding.connection.verify", Now);

        run.Status.Should().Be(OperationRunStatus.Queued);
        run.IsActive.Should().BeTrue();
        run.Attempts.Should().Be(0);
        run.LeaseOwner.Should().BeNull();
        run.StartedAt.Should().BeNull();
        run.Version.Should().Be(1);
    }

    [Fact]
    public void Succeed_WithoutHoldingTheLease_IsRefused()
    {
        var run = OperationRun.Queue(7, 3, 5, "onboarding.connection.verify", Now);

        run.Invoking(r => r.Succeed("worker-1", Ok, Now)).Should().Throw<InvalidTransitionException>()
            .Which.Code.Should().Be("lease_lost");
        run.Status.Should().Be(OperationRunStatus.Queued);
    }

    [Fact]
    public void Fail_FinishesTheRunWithItsEvidence_AndOnlyOnce()
    {
        var run = OperationRun.Queue(7, 3, 5, "onboarding.connection.verify", Now);
        var outcome = new TaskOutcome(EvidenceStatus.Fail, "attempts_exhausted", "gave up", "{}");

        var evidence = run.Fail(outcome, Now.AddMinutes(1));

        run.Status.Should().Be(OperationRunStatus.Failed);
        run.IsActive.Should().BeFalse();
        run.FinishedAt.Should().Be(Now.AddMinutes(1));
        run.Result.Should().Contain("\"reason_code\":\"attempts_exhausted\"");
        evidence.Status.Should().Be(EvidenceStatus.Fail);
        evidence.TaskType.Should().Be("onboarding.connection.verify");
        run.Invoking(r => r.Fail(outcome, Now.AddMinutes(2))).Should().Throw<InvalidTransitionException>()
            .Which.Code.Should().Be("run_finished");
    }
}
