using Sessions.Domain.Common;
using Sessions.Domain.Onboarding;

namespace Sessions.Domain.UnitTests.Onboarding;

public sealed class OnboardingSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 26, 8, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan LockFor = TimeSpan.FromMinutes(10);
    private const long Ada = 1;
    private const long Bob = 2;

    private static OnboardingSession Started() => OnboardingSession.Start(7, Now);

    [Fact]
    public void Start_IsADraftAtTheFirstStep_Unlocked()
    {
        var session = Started();

        session.Status.Should().Be(OnboardingStatus.Draft);
        session.CurrentStep.Should().Be(OnboardingSession.FirstStep);
        session.LockedByUserId.Should().BeNull();
        session.IsActive.Should().BeTrue();
    }

    [Fact]
    public void Update_TakesTheCallersLock_AndMovingOnStartsTheOnboarding()
    {
        var session = Started();

        session.Update(Ada, new OnboardingChange(CurrentStep: 2), takeover: false, Now, LockFor);

        session.Status.Should().Be(OnboardingStatus.InProgress);
        session.LockedByUserId.Should().Be(Ada);
        session.LockedUntil.Should().Be(Now + LockFor);
        session.IsLockedAgainst(Bob, Now.AddMinutes(1)).Should().BeTrue();
        session.IsLockedAgainst(Ada, Now.AddMinutes(1)).Should().BeFalse();
    }

    [Fact]
    public void Update_ByAnotherUserWhileTheLockIsFresh_IsRefusedWithoutTakeover()
    {
        var session = Started();
        session.Update(Ada, new OnboardingChange(CurrentStep: 2), takeover: false, Now, LockFor);

        session.Invoking(s => s.Update(Bob, new OnboardingChange(CurrentStep: 3), takeover: false, Now.AddMinutes(1), LockFor))
            .Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("session_locked");
        session.CurrentStep.Should().Be(2);
        session.LockedByUserId.Should().Be(Ada);
    }

    [Fact]
    public void Update_WithTakeover_MovesTheLockToTheCaller()
    {
        var session = Started();
        session.Update(Ada, new OnboardingChange(CurrentStep: 2), takeover: false, Now, LockFor);

        session.Update(Bob, new OnboardingChange(CurrentStep: 3), takeover: true, Now.AddMinutes(1), LockFor);

        session.CurrentStep.Should().Be(3);
        session.LockedByUserId.Should().Be(Bob);
        session.LockedUntil.Should().Be(Now.AddMinutes(1) + LockFor);
    }

    [Fact]
    public void Update_AfterTheLockExpired_NeedsNoTakeover()
    {
        var session = Started();
        session.Update(Ada, new OnboardingChange(CurrentStep: 2), takeover: false, Now, LockFor);
        var later = Now + LockFor + TimeSpan.FromSeconds(1);

        session.IsLockedAgainst(Bob, later).Should().BeFalse();
        session.Update(Bob, new OnboardingChange(CurrentStep: 3), takeover: false, later, LockFor);

        session.LockedByUserId.Should().Be(Bob);
    }

    [Fact]
    public void Complete_OnlyFromTheLastStep_ThenTheSessionIsClosedAndUnlocked()
    {
        var session = Started();
        session.Invoking(s => s.Update(Ada, new OnboardingChange(Status: OnboardingStatus.Completed), false, Now, LockFor))
            .Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("not_at_last_step");

        session.Update(Ada, new OnboardingChange(CurrentStep: OnboardingSession.LastStep, Status: OnboardingStatus.Completed), false, Now, LockFor);

        session.Status.Should().Be(OnboardingStatus.Completed);
        session.IsActive.Should().BeFalse();
        session.LockedByUserId.Should().BeNull();
        session.LockedUntil.Should().BeNull();
        session.Invoking(s => s.Update(Ada, new OnboardingChange(CurrentStep: 2), false, Now, LockFor))
            .Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("session_closed");
    }

    [Fact]
    public void Abandon_ClosesTheSession_AndAStartedOneCannotReturnToDraft()
    {
        var started = Started();
        started.Update(Ada, new OnboardingChange(CurrentStep: 2), false, Now, LockFor);
        started.Invoking(s => s.Update(Ada, new OnboardingChange(Status: OnboardingStatus.Draft), false, Now, LockFor))
            .Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("cannot_return_to_draft");

        started.Update(Ada, new OnboardingChange(Status: OnboardingStatus.Abandoned), false, Now, LockFor);

        started.Status.Should().Be(OnboardingStatus.Abandoned);
        started.Invoking(s => s.Update(Bob, new OnboardingChange(), takeover: true, Now, LockFor))
            .Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("session_closed");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Update_ToAStepOutsideTheFive_IsRefused(int step)
    {
        var session = Started();

        session.Invoking(s => s.Update(Ada, new OnboardingChange(CurrentStep: step), false, Now, LockFor))
            .Should().Throw<RuleViolationException>().Which.Field.Should().Be("current_step");
    }
}
