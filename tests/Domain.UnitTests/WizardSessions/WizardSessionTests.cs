using Sessions.Domain.Common;
using Sessions.Domain.WizardSessions;

namespace Sessions.Domain.UnitTests.WizardSessions;

public sealed class WizardSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 26, 8, 30, 0, TimeSpan.Zero);

    /// <summary>Four screens: a required single choice, a multi choice, a single choice that can hide the fourth.</summary>
    private static readonly WizardDefinition Wizard = new("test-wizard", "Test",
    [
        new WizardScreen("s1", "Role", ScreenKind.Single, Options("a", "b"), Required: true, null, null, null),
        new WizardScreen("s2", "Interests", ScreenKind.Multi, Options("a", "b", "c"), Required: false, 1, 2, null),
        new WizardScreen("s3", "Team", ScreenKind.Single, Options("solo", "team"), Required: false, null, null, null),
        new WizardScreen("s4", "Invite", ScreenKind.Multi, Options("x", "y"), Required: false, null, null,
            new ScreenCondition("s3", ["solo"])),
        new WizardScreen("s5", "Hosting", ScreenKind.Single, Options("cloud", "self"), Required: false, null, null, null),
    ]);

    [Fact]
    public void Start_StandsOnTheFirstScreen()
    {
        var session = Start();

        session.Status.Should().Be(WizardSessionStatus.InProgress);
        session.CurrentScreenId.Should().Be("s1");
        session.CurrentStepIndex(Wizard).Should().Be(0);
        session.TotalSteps(Wizard).Should().Be(5);
        session.Id.Should().MatchRegex("^sess-[0-9a-f]{16}$");
        session.Version.Should().Be(1);
    }

    [Fact]
    public void Advance_WithTheRequiredScreenUnanswered_IsRefusedNamingIt()
    {
        var session = Start();

        var advance = () => session.Advance(Wizard, null, Now);

        advance.Should().Throw<RuleViolationException>().Which.Field.Should().Be("answers.s1");
        session.CurrentScreenId.Should().Be("s1");
    }

    [Fact]
    public void Advance_SavesTheAnswersAndMovesToTheNextScreen()
    {
        var session = Start();

        session.Advance(Wizard, Answer("s1", "a"), Now.AddMinutes(1));

        session.CurrentScreenId.Should().Be("s2");
        session.Answers.ChosenOn("s1").Should().Equal("a");
        session.LastActivityAt.Should().Be(Now.AddMinutes(1));
        session.Version.Should().Be(2);
    }

    [Fact]
    public void Advance_PastTheLastScreen_Completes_AndThenNothingChanges()
    {
        var session = Start();
        session.Advance(Wizard, Answer("s1", "a"), Now);
        for (var i = 0; i < 4; i++)
        {
            session.Advance(Wizard, null, Now);
        }

        session.Status.Should().Be(WizardSessionStatus.Completed);
        session.CompletedAt.Should().Be(Now);
        session.CurrentStepIndex(Wizard).Should().Be(session.TotalSteps(Wizard));
        session.Invoking(s => s.Advance(Wizard, null, Now)).Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("session_completed");
        session.Invoking(s => s.GoBack(Wizard, Now)).Should().Throw<InvalidTransitionException>();
        session.Invoking(s => s.SaveAnswers(Wizard, Answer("s2", "a"), Now)).Should().Throw<InvalidTransitionException>();
        session.Invoking(s => s.SaveDraft(Wizard, Answer("s2", "a"), Now)).Should().Throw<InvalidTransitionException>();
    }

    [Fact]
    public void Branching_HidesTheConditionalScreen_ForwardAndBack()
    {
        var session = Start();
        session.Advance(Wizard, Answer("s1", "a"), Now);
        session.Advance(Wizard, Answer("s2", "a"), Now);
        session.Advance(Wizard, Answer("s3", "solo"), Now);

        session.CurrentScreenId.Should().Be("s5", "s4 is hidden for solo teams");
        session.TotalSteps(Wizard).Should().Be(4);
        session.CurrentStepIndex(Wizard).Should().Be(3);

        session.GoBack(Wizard, Now);

        session.CurrentScreenId.Should().Be("s3");
        session.CurrentStepIndex(Wizard).Should().Be(2);
    }

    [Fact]
    public void Branching_WithTheConditionUnmet_ShowsTheScreen()
    {
        var session = Start();
        session.Advance(Wizard, Answer("s1", "a"), Now);
        session.Advance(Wizard, Answer("s2", "a"), Now);
        session.Advance(Wizard, Answer("s3", "team"), Now);

        session.CurrentScreenId.Should().Be("s4");
        session.TotalSteps(Wizard).Should().Be(5);
    }

    [Fact]
    public void GoBack_AtTheFirstScreen_IsRefused()
    {
        var session = Start();

        session.Invoking(s => s.GoBack(Wizard, Now)).Should().Throw<InvalidTransitionException>().Which.Code.Should().Be("at_first_screen");
    }

    [Theory]
    [InlineData("s9", new[] { "a" }, "unknown_screen")]
    [InlineData("s1", new[] { "z" }, "unknown_option")]
    [InlineData("s1", new[] { "a", "b" }, "choice_count")]
    [InlineData("s1", new string[0], "choice_count")]
    [InlineData("s2", new[] { "a", "a" }, "duplicate_option")]
    [InlineData("s2", new[] { "a", "b", "c" }, "choice_count")]
    public void SaveAnswers_RefusesWhatDoesNotFitTheScreen_AndChangesNothing(string screen, string[] chosen, string code)
    {
        var session = Start();

        var save = () => session.SaveAnswers(Wizard, new Dictionary<string, IReadOnlyList<string>> { [screen] = chosen }, Now);

        var refusal = save.Should().Throw<RuleViolationException>().Which;
        refusal.Code.Should().Be(code);
        refusal.Field.Should().Be($"answers.{screen}");
        session.Answers.Chosen.Should().BeEmpty();
        session.Version.Should().Be(1);
    }

    [Fact]
    public void SaveDraft_KeepsOneDraftIdAndDoesNotMove()
    {
        var session = Start();
        session.Advance(Wizard, Answer("s1", "b"), Now);

        session.SaveDraft(Wizard, Answer("s2", "a"), Now.AddMinutes(1));
        var firstDraft = session.DraftId;
        session.SaveDraft(Wizard, Answer("s2", "b"), Now.AddMinutes(2));

        session.DraftId.Should().Be(firstDraft).And.MatchRegex("^draft-[0-9a-f]{16}$");
        session.DraftStepIndex.Should().Be(1);
        session.DraftSavedAt.Should().Be(Now.AddMinutes(2));
        session.CurrentScreenId.Should().Be("s2");
        session.Answers.ChosenOn("s2").Should().Equal("b");
    }

    [Fact]
    public void AbandonIfInactive_AbandonsOnlyAfterTheLimit()
    {
        var session = Start();

        session.AbandonIfInactive(Now.AddDays(29), TimeSpan.FromDays(30)).Should().BeFalse();
        session.AbandonIfInactive(Now.AddDays(30), TimeSpan.FromDays(30)).Should().BeTrue();

        session.Status.Should().Be(WizardSessionStatus.Abandoned);
        session.Invoking(s => s.Advance(Wizard, Answer("s1", "a"), Now)).Should().Throw<InvalidTransitionException>()
            .Which.Code.Should().Be("session_abandoned");
    }

    [Fact]
    public void Answers_RoundTripThroughTheirJson()
    {
        var answers = WizardAnswers.Empty.With(new Dictionary<string, IReadOnlyList<string>> { ["screen-02"] = ["opt-a", "opt-c"] });

        var json = answers.ToJson();

        json.Should().Be("""{"screen-02":{"chosen":["opt-a","opt-c"]}}""");
        WizardAnswers.FromJson(json).ChosenOn("screen-02").Should().Equal("opt-a", "opt-c");
    }

    private static WizardSession Start() => WizardSession.Start(Wizard, 1, "usr-00124", "en-IE", Now);

    private static IReadOnlyList<WizardOption> Options(params string[] ids) => ids.Select(id => new WizardOption(id, id.ToUpperInvariant())).ToList();

    private static Dictionary<string, IReadOnlyList<string>> Answer(string screen, params string[] chosen) => new() { [screen] = chosen };
}
