using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sessions.Bench;

// What the floor's S1 answer is made of: the key check, the session row read with the service's SQL, the
// wizard's visible-screen rules and the hand-written reply. bench/Ladder links this file, so each of its
// rungs runs exactly the floor's work under the layer it adds.

/// <summary>A caller proven by an API key; a key is checked against its stored hash once, then remembered.</summary>
public sealed record Caller(long UserId, string Handle, HashSet<string> Scopes, HashSet<int> Projects);

public sealed class KeyCache(Store store)
{
    private readonly ConcurrentDictionary<string, Caller> _known = new();

    public async Task<Caller?> AuthenticateAsync(HttpContext http, string scope)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        var caller = _known.TryGetValue(token, out var known) ? known : await LookUpAsync(token);
        if (caller is null)
        {
            await Reply.ProblemAsync(http, 401, "The API key is unknown, revoked or expired.");
            return null;
        }

        if (!caller.Scopes.Contains(scope))
        {
            await Reply.ProblemAsync(http, 403, "The API key lacks the scope this operation needs.");
            return null;
        }

        return caller;
    }

    private async Task<Caller?> LookUpAsync(string token)
    {
        if (token.Length != 60 || !token.StartsWith("ses_", StringComparison.Ordinal))
        {
            return null;
        }

        await using var connection = await store.OpenAsync();
        await using var command = store.Command(connection,
            "SELECT k.user_id, u.handle, k.secret_hash, k.grants FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.prefix = @prefix AND k.revoked_at IS NULL",
            ("prefix", token[4..16]));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()
            || !CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), (byte[])reader[2]))
        {
            return null;
        }

        using var grants = JsonDocument.Parse(reader.GetString(3));
        var caller = new Caller(reader.GetInt64(0), reader.GetString(1),
            grants.RootElement.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToHashSet(),
            grants.RootElement.GetProperty("projects").EnumerateArray().Select(p => p.GetInt32()).ToHashSet());
        return _known.GetOrAdd(token, caller);
    }
}

/// <summary>A wizard session row as stored.</summary>
public sealed record WizardRow(
    string Id, string WizardId, string UserHandle, string Locale, string Status, string CurrentScreenId, string[] Visited,
    string Answers, DateTime StartedAt, DateTime LastActivityAt, DateTime? CompletedAt, string? DraftId, int? DraftStepIndex,
    DateTime? DraftSavedAt, long Version)
{
    public static async Task<WizardRow?> ReadAsync(Store store, DbConnection connection, string id, long userId)
    {
        await using var command = store.Command(connection,
            """
            SELECT wizard_id, user_handle, locale, status, current_screen_id, visited_screens, answers, started_at, last_activity_at,
                   completed_at, draft_id, draft_step_index, draft_saved_at, version
            FROM wizard_sessions WHERE id = @id AND user_id = @user
            """,
            ("id", id), ("user", userId));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new WizardRow(id, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            JsonSerializer.Deserialize<string[]>(reader.GetString(5))!, reader.GetString(6),
            store.ReadTimestamp(reader, 7), store.ReadTimestamp(reader, 8), reader.IsDBNull(9) ? null : store.ReadTimestamp(reader, 9),
            reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetInt32(11),
            reader.IsDBNull(12) ? null : store.ReadTimestamp(reader, 12), reader.GetInt64(13));
    }

    public void Write(Utf8JsonWriter writer, Wizard wizard)
    {
        writer.WriteString("session_id", Id);
        writer.WriteString("wizard_id", WizardId);
        writer.WriteString("user_id", UserHandle);
        writer.WriteString("locale", Locale);
        writer.WriteNumber("current_step_index", wizard.StepIndex(this));
        writer.WriteNumber("total_steps", wizard.VisibleScreens(Answers).Count);
        writer.WriteString("current_screen_id", CurrentScreenId);
        writer.WriteString("status", Status == "InProgress" ? "in_progress" : Status.ToLowerInvariant());
        writer.WritePropertyName("answers");
        writer.WriteRawValue(Answers);
        if (DraftId is null)
        {
            writer.WriteNull("draft");
        }
        else
        {
            writer.WriteStartObject("draft");
            writer.WriteString("draft_id", DraftId);
            writer.WriteNumber("step_index", DraftStepIndex ?? 0);
            writer.WriteString("saved_at", Reply.Time(DraftSavedAt!.Value));
            writer.WriteEndObject();
        }

        writer.WriteString("started_at", Reply.Time(StartedAt));
        writer.WriteString("last_activity_at", Reply.Time(LastActivityAt));
        writer.WriteString("updated_at", Reply.Time(LastActivityAt));
        if (CompletedAt is { } completed)
        {
            writer.WriteString("completed_at", Reply.Time(completed));
        }
        else
        {
            writer.WriteNull("completed_at");
        }
    }
}

/// <summary>The wizard definition: screens in order, which are required and which answers hide them.</summary>
public sealed class Wizard(IReadOnlyList<Wizard.Screen> screens)
{
    public sealed record Screen(string Id, bool Required, string? HiddenByScreen, string[] HiddenByOptions);

    public static Wizard Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new Wizard(document.RootElement.GetProperty("screens").EnumerateArray().Select(screen =>
        {
            var hidden = screen.TryGetProperty("hidden_when", out var when) ? when : default;
            return new Screen(
                screen.GetProperty("id").GetString()!,
                screen.TryGetProperty("required", out var required) && required.GetBoolean(),
                hidden.ValueKind == JsonValueKind.Object ? hidden.GetProperty("screen").GetString() : null,
                hidden.ValueKind == JsonValueKind.Object ? [.. hidden.GetProperty("chosen_any").EnumerateArray().Select(o => o.GetString()!)] : []);
        }).ToList());
    }

    public List<string> VisibleScreens(string answersJson)
    {
        using var answers = JsonDocument.Parse(answersJson);
        return screens.Where(screen => screen.HiddenByScreen is null
                || !answers.RootElement.TryGetProperty(screen.HiddenByScreen, out var answer)
                || !answer.GetProperty("chosen").EnumerateArray().Any(o => screen.HiddenByOptions.Contains(o.GetString())))
            .Select(screen => screen.Id).ToList();
    }

    public int StepIndex(WizardRow session) => VisibleScreens(session.Answers).IndexOf(session.CurrentScreenId);

    public string? Next(WizardRow session)
    {
        var visible = VisibleScreens(session.Answers);
        var current = screens.First(s => s.Id == session.CurrentScreenId);
        using var answers = JsonDocument.Parse(session.Answers);
        if (current.Required && !answers.RootElement.TryGetProperty(current.Id, out _))
        {
            return null;
        }

        var index = visible.IndexOf(session.CurrentScreenId);
        return index + 1 < visible.Count ? visible[index + 1] : null;
    }

    public string? Previous(WizardRow session) => session.Visited.Length > 1 ? session.Visited[^2] : null;
}

internal static class Reply
{
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static async Task JsonAsync(HttpContext http, int status, Action<Utf8JsonWriter> writeProperties, string contentType = "application/json")
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        writer.WriteStartObject();
        writeProperties(writer);
        writer.WriteEndObject();
        await writer.FlushAsync();
    }

    public static Task ProblemAsync(HttpContext http, int status, string detail) =>
        JsonAsync(http, status, writer =>
        {
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
        }, "application/problem+json");

    public static Task NotFoundAsync(HttpContext http) => ProblemAsync(http, 404, "Not found.");
}
