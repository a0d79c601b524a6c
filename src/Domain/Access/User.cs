using System.Text.RegularExpressions;
using Sessions.Domain.Common;

namespace Sessions.Domain.Access;

/// <summary>A person or machine that owns sessions and API keys, known by a unique handle.</summary>
public sealed partial class User : AggregateRoot
{
    public const int MaxHandleLength = 64;
    public const int MaxNameLength = 200;

    private User()
    {
        Handle = null!;
    }

    public long Id { get; private set; }
    public string Handle { get; private set; }
    public string? Name { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static User Register(string handle, string? name, DateTimeOffset now)
    {
        if (!HandlePattern().IsMatch(handle))
        {
            throw new RuleViolationException("handle", "invalid_handle",
                $"A handle is 1 to {MaxHandleLength} letters, digits, '_', '.' or '-'.");
        }

        if (name is { Length: > MaxNameLength })
        {
            throw new RuleViolationException("name", "name_too_long", $"A name is at most {MaxNameLength} characters.");
        }

        var user = new User { Handle = handle, Name = name, CreatedAt = now };
        user.Changed();
        return user;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex HandlePattern();
}
