using Sessions.Domain.Common;
using Sessions.Domain.Onboarding;

namespace Sessions.Domain.UnitTests.Onboarding;

/// <summary>
/// What the aggregate decides about a run: queueing, claiming under a lease (an attempt each), renewing
/// it, taking over an expired lease, giving up when attempts are spent, and finishing only under a held
/// lease, once. That two workers never run one run twice is proved through the API in OnboardingApiTests.
/// </summary>
public sealed class OperationRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 26, 8, 30, 0, TimeSpan.Zero);
    private static readonly TaskOutcome Ok = new(EvidenceStatus.Ok, null, "reachable", "{}");
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private const int MaxAttempts = 3;
    private const string TaskType = "onboarding.connection.verify";

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
    public void Claim_TakesALease_AndCountsAnAttempt()
    {
        var run = OperationRun.Queue(7, 3, 5, TaskType, Now);

        run.Claim("worker-1", Now, Lease, MaxAttempts);

        run.Status.Should().Be(OperationRunStatus.Running);
        run.Attempts.Should().Be(1);
        run.LeaseOwner.Should().Be("worker-1");
        run.LeaseExpiresAt.Should().Be(Now + Lease);
        run.StartedAt.Should().Be(Now);
        run.Version.Should().Be(2);
    }

    [Fact]
    public void AHeldLease_CannotBeClaimed_UntilItExpires()
    {
        var run = OperationRun.Queue(7, 3, 5, TaskType, Now);
        run.Claim("worker-1", Now, Lease, MaxAttempts);

        run.IsClaimable(Now + Lease, MaxAttempts).Should().BeFalse("a lease holds up to and including its expiry");
        run.Invoking(r => r.Claim("worker-2", Now + Lease, Lease, MaxAttempts)).Should().Throw<InvalidTransitionException>()
            .Which.Code.Should().Be("run_not_claimable");
        run.LeaseOwner.Should().Be("worker-1");

        var later = Now + Lease + TimeSpan.FromTicks(1);
        run.Claim("worker-2", later, Lease, MaxAttempts);

        run.LeaseOwner.Should().Be("worker-2");
        run.Attempts.Should().Be(2);
        run.StartedAt.Should().Be(Now, "the run started with its first claim");
        run.Invoking(r => r.Succeed("worker-1", Ok, later)).Should().Throw<InvalidTransitionException>()
            .Which.Code.Should().Be("lease_lost");
    }

    [Fact]
    public void RenewLease_ExtendsTheHoldersLease_AndNobodyElses()
    {
        var run = OperationRun.Queue(7, 3, 5, TaskType, Now);
        run.Claim("worker-1", Now, Lease, MaxAttempts);
        var version = run.Version;

        run.RenewLease("worker-1", Now.AddSeconds(10), Lease);

        run.LeaseExpiresAt.Should().Be(Now.AddSeconds(10) + Lease);
        run.Version.Should().Be(version + 1, "a renewal makes a claim read before it stale");
        run.IsClaimable(Now + Lease + TimeSpan.FromSeconds(1), MaxAttempts).Should().BeFalse();
        run.Invoking(r => r.RenewLease("worker-2", Now.AddSeconds(11), Lease)).Should().Throw<InvalidTransitionException>()
            .Which.Code.Should().Be("lease_lost");
    }

    [Fact]
    public void ARunWhoseAttemptsAreSpent_IsNotClaimable_AndIsGivenUpWithEvidence()
    {
        var run = OperationRun.Queue(7, 3, 5, TaskType, Now);
        var at = Now;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            run.IsExhausted(at, MaxAttempts).Should().BeFalse();
            run.Claim($"worker-{attempt}", at, Lease, MaxAttempts);
            at += Lease + TimeSpan.FromSeconds(1);
        }

        run.IsClaimable(at, MaxAttempts).Should().BeFalse();
        run.IsExhausted(at, MaxAttempts).Should().BeTrue();
        run.IsExhausted(at - TimeSpan.FromSeconds(2), MaxAttempts).Should().BeFalse("the last lease still holds");

        var evidence = run.GiveUp(at, MaxAttempts);

        run.Status.Should().Be(OperationRunStatus.Failed);
        run.IsActive.Should().BeFalse();
        run.LeaseOwner.Should().BeNull();
        run.FinishedAt.Should().Be(at);
        run.Result.Should().Contain("\"reason_code\":\"attempts_exhausted\"");
        evidence.Status.Should().Be(EvidenceStatus.Fail);
        evidence.Message.Should().Be("The run did not finish in 3 attempts.");
        evidence.TaskType.Should().Be(TaskType);
        run.Invoking(r => r.GiveUp(at, MaxAttempts)).Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("run_finished");
    }

    [Fact]
    public void ARunWithAttemptsLeft_IsNotGivenUp()
    {
        var run = OperationRun.Queue(7, 3, 5, TaskType, Now);
        run.Claim("worker-1", Now, Lease, MaxAttempts);

        run.Invoking(r => r.GiveUp(Now + Lease + Lease, MaxAttempts)).Should().Throw<InvalidTransitionException>()
            .Which.Code.Should().Be("run_not_exhausted");
    }

    [Fact]
    public void Succeed_UnderAHeldLease_FinishesOnce_WithItsEvidence()
    {
        var run = OperationRun.Queue(7, 3, 5, TaskType, Now);
        run.Claim("worker-1", Now, Lease, MaxAttempts);

        var evidence = run.Succeed("worker-1", Ok, Now.AddSeconds(5));

        run.Status.Should().Be(OperationRunStatus.Succeeded);
        run.LeaseOwner.Should().BeNull();
        run.LeaseExpiresAt.Should().BeNull();
        run.FinishedAt.Should().Be(Now.AddSeconds(5));
        evidence.Status.Should().Be(EvidenceStatus.Ok);
        evidence.OperationRunId.Should().Be(run.Id);
        run.IsClaimable(Now.AddHours(1), MaxAttempts).Should().BeFalse();
        run.Invoking(r => r.Succeed("worker-1", Ok, Now.AddSeconds(6))).Should().Throw<InvalidTransitionException>();
        run.Invoking(r => r.Claim("worker-2", Now.AddHours(1), Lease, MaxAttempts)).Should().Throw<InvalidTransitionException>()
            .Which.Code.Should().Be("run_not_claimable");
    }

    /// <summary>The queue is searched with the expressions, one run is judged with the methods: they are one rule.</summary>
    [Fact]
    public void TheQueueQueries_AndTheRunsOwnRules_Agree()
    {
        var claimable = OperationRun.ClaimableAt(Now, MaxAttempts).Compile();
        var exhausted = OperationRun.ExhaustedAt(Now, MaxAttempts).Compile();
        var states = 0;
        foreach (var claims in Enumerable.Range(0, MaxAttempts + 1))
        {
            foreach (var leaseAge in new[] { TimeSpan.Zero, Lease - TimeSpan.FromTicks(1), Lease, Lease + TimeSpan.FromTicks(1), Lease * 3 })
            {
                foreach (var finished in new[] { false, true })
                {
                    var run = OperationRun.Queue(7, 3, 5, TaskType, Now - Lease * 10);
                    for (var claim = 0; claim < claims; claim++)
                    {
                        var at = Now - leaseAge - (Lease + TimeSpan.FromTicks(1)) * (claims - 1 - claim);
                        run.Claim($"worker-{claim}", at, Lease, MaxAttempts);
                    }

                    if (finished && claims > 0)
                    {
                        run.Succeed($"worker-{claims - 1}", Ok, Now);
                    }

                    claimable(run).Should().Be(run.IsClaimable(Now, MaxAttempts), $"{claims} claims, lease {leaseAge} old, finished {finished}");
                    exhausted(run).Should().Be(run.IsExhausted(Now, MaxAttempts), $"{claims} claims, lease {leaseAge} old, finished {finished}");
                    states++;
                }
            }
        }

        states.Should().Be(40);
    }
}
