using Sessions.Domain.Common;

namespace Sessions.Domain.WizardRuns;

/// <summary>
/// What the wizard CLI is waiting for the user to answer. The prompts of a sensitive question (a secret
/// being asked for) are never kept: such a value always has no prompts, whatever the client sent.
/// </summary>
public sealed record PendingInput
{
    public const int MaxIdLength = 255;
    public const int MaxQuestionCount = 100;
    public const int MaxPrompts = 10;
    public const int MaxPromptLength = 2000;

    private PendingInput(string id, DateTimeOffset? askedAt, int questionCount, bool sensitive, IReadOnlyList<string> prompts) =>
        (Id, AskedAt, QuestionCount, Sensitive, Prompts) = (id, askedAt, questionCount, sensitive, prompts);

    public string Id { get; }
    public DateTimeOffset? AskedAt { get; }
    public int QuestionCount { get; }
    public bool Sensitive { get; }
    public IReadOnlyList<string> Prompts { get; }

    public static PendingInput Create(string id, DateTimeOffset? askedAt, int questionCount, bool sensitive, IReadOnlyList<string>? prompts)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength)
        {
            throw new RuleViolationException("pending_input.id", "invalid_pending_input", $"'pending_input.id' is 1 to {MaxIdLength} characters.");
        }

        if (questionCount is < 1 or > MaxQuestionCount)
        {
            throw new RuleViolationException("pending_input.question_count", "invalid_pending_input",
                $"'pending_input.question_count' is a whole number from 1 to {MaxQuestionCount}.");
        }

        prompts ??= [];
        if (prompts.Count > MaxPrompts || prompts.Any(p => p is null || p.Length > MaxPromptLength))
        {
            throw new RuleViolationException("pending_input.prompts", "invalid_pending_input",
                $"'pending_input.prompts' holds at most {MaxPrompts} texts of at most {MaxPromptLength} characters.");
        }

        return new PendingInput(id, askedAt?.ToUniversalTime(), questionCount, sensitive, sensitive ? [] : prompts.ToArray());
    }

    public bool Equals(PendingInput? other) =>
        other is not null && Id == other.Id && AskedAt == other.AskedAt && QuestionCount == other.QuestionCount
        && Sensitive == other.Sensitive && Prompts.SequenceEqual(other.Prompts);

    public override int GetHashCode() => HashCode.Combine(Id, AskedAt, QuestionCount, Sensitive, Prompts.Count);
}
