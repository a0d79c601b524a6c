using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sessions.Bench;

// The floor answers the benchmark's routes with the SQL the service runs for them and the same
// JSON, written by hand: what is left when every layer of the service is taken away.
var builder = WebApplication.CreateSlimBuilder(args);
var store = new Store(
    builder.Configuration["Sessions:Database:Provider"] ?? "sqlite",
    builder.Configuration.GetConnectionString("Sessions") ?? throw new InvalidOperationException("ConnectionStrings:Sessions is required."));
var wizard = Wizard.Load(builder.Configuration["Floor:WizardDefinition"]
    ?? Path.Combine(AppContext.BaseDirectory, "onboarding-wizard-v3.json"));
var keys = new KeyCache(store);
var app = builder.Build();

app.MapGet("/api/v1/wizard-sessions/{id}", (string id, HttpContext http) => WithOwnSessionAsync(http, id, "wizard_session:read", (_, session) =>
{
    http.Response.Headers.ETag = $"\"{session.Version}\"";
    return Reply.JsonAsync(http, 200, writer => session.Write(writer, wizard));
}));

app.MapPost("/api/v1/wizard-sessions/{id}/next-step", (string id, HttpContext http) => MoveAsync(id, http, forward: true));
app.MapPost("/api/v1/wizard-sessions/{id}/previous-step", (string id, HttpContext http) => MoveAsync(id, http, forward: false));

app.MapPost("/api/projects/{projectId:int}/wizard/sessions", async (int projectId, HttpContext http) =>
{
    if (await keys.AuthenticateAsync(http, "wizard_session:write") is not { } caller)
    {
        return;
    }

    if (!caller.Projects.Contains(projectId))
    {
        await Reply.NotFoundAsync(http);
        return;
    }

    using var body = await JsonDocument.ParseAsync(http.Request.Body);
    var run = WizardRunPush.From(body.RootElement);
    if (run is null)
    {
        await Reply.ProblemAsync(http, 400, "The run is invalid.");
        return;
    }

    await using var connection = await store.OpenAsync();
    var now = DateTime.UtcNow;
    await using var upsert = store.Command(connection, store.IsPostgres
        ? """
          INSERT INTO wizard_runs (project_id, session_id, workflow_id, skill_id, started_at, run_phase, tasks, event_plan, error,
                                   pending_input, handoff_text, created_at, updated_at, version)
          VALUES (@project, @session, @workflow, @skill, @started, @phase, @tasks::jsonb, @plan::jsonb, @error::jsonb, @pending::jsonb,
                  @handoff, @now, @now, 1)
          ON CONFLICT (project_id, session_id) DO UPDATE SET workflow_id = excluded.workflow_id, skill_id = excluded.skill_id,
              started_at = excluded.started_at, run_phase = excluded.run_phase, tasks = excluded.tasks, event_plan = excluded.event_plan,
              error = excluded.error, pending_input = excluded.pending_input, handoff_text = excluded.handoff_text,
              updated_at = excluded.updated_at, version = wizard_runs.version + 1
          RETURNING created_at, version
          """
        : """
          INSERT INTO wizard_runs (project_id, session_id, workflow_id, skill_id, started_at, run_phase, tasks, event_plan, error,
                                   pending_input, handoff_text, created_at, updated_at, version)
          VALUES (@project, @session, @workflow, @skill, @started, @phase, @tasks, @plan, @error, @pending, @handoff, @now, @now, 1)
          ON CONFLICT (project_id, session_id) DO UPDATE SET workflow_id = excluded.workflow_id, skill_id = excluded.skill_id,
              started_at = excluded.started_at, run_phase = excluded.run_phase, tasks = excluded.tasks, event_plan = excluded.event_plan,
              error = excluded.error, pending_input = excluded.pending_input, handoff_text = excluded.handoff_text,
              updated_at = excluded.updated_at, version = wizard_runs.version + 1
          RETURNING created_at, version
          """,
        ("project", projectId), ("session", run.SessionId), ("workflow", run.WorkflowId), ("skill", run.SkillId),
        ("started", store.Timestamp(run.StartedAt)), ("phase", run.StoredPhase), ("tasks", run.Tasks), ("plan", run.EventPlan),
        ("error", run.Error), ("pending", run.PendingInput), ("handoff", run.HandoffText), ("now", store.Timestamp(now)));
    DateTime createdAt;
    long version;
    await using (var reader = await upsert.ExecuteReaderAsync())
    {
        await reader.ReadAsync();
        createdAt = store.ReadTimestamp(reader, 0);
        version = reader.GetInt64(1);
    }

    if (store.IsPostgres)
    {
        // The service tells every process's open streams after the commit; so does the floor.
        await using var notify = store.Command(connection, "SELECT pg_notify('wizard_runs', @payload)",
            ("payload", $"{projectId}:{run.WorkflowId}"));
        await notify.ExecuteNonQueryAsync();
    }

    await Reply.JsonAsync(http, version == 1 ? 201 : 200, writer => run.Write(writer, projectId, createdAt, now));
});

app.Run();

// The caller's session, read with the key's scope checked: 401, 403 or 404 are answered here.
async Task WithOwnSessionAsync(HttpContext http, string id, string scope, Func<DbConnection, WizardRow, Task> then)
{
    if (await keys.AuthenticateAsync(http, scope) is not { } caller)
    {
        return;
    }

    await using var connection = await store.OpenAsync();
    if (await WizardRow.ReadAsync(store, connection, id, caller.UserId) is not { } session)
    {
        await Reply.NotFoundAsync(http);
        return;
    }

    await then(connection, session);
}

Task MoveAsync(string id, HttpContext http, bool forward) =>
    WithOwnSessionAsync(http, id, "wizard_session:write", (connection, session) => MoveSessionAsync(http, connection, session, forward));

async Task MoveSessionAsync(HttpContext http, DbConnection connection, WizardRow session, bool forward)
{
    var id = session.Id;
    var before = wizard.StepIndex(session);
    var target = forward ? wizard.Next(session) : wizard.Previous(session);
    if (target is null)
    {
        await Reply.ProblemAsync(http, 409, forward ? "The current screen is not answered." : "The session is at its first screen.");
        return;
    }

    var visited = forward ? [.. session.Visited, target] : session.Visited[..^1];
    await using var update = store.Command(connection, store.IsPostgres
        ? "UPDATE wizard_sessions SET current_screen_id = @screen, visited_screens = @visited::jsonb, last_activity_at = @now, version = version + 1 WHERE id = @id AND version = @version"
        : "UPDATE wizard_sessions SET current_screen_id = @screen, visited_screens = @visited, last_activity_at = @now, version = version + 1 WHERE id = @id AND version = @version",
        ("screen", target), ("visited", JsonSerializer.Serialize(visited)), ("now", store.Timestamp(DateTime.UtcNow)),
        ("id", id), ("version", session.Version));
    if (await update.ExecuteNonQueryAsync() == 0)
    {
        await Reply.ProblemAsync(http, 409, "The session changed meanwhile.");
        return;
    }

    var moved = session with { CurrentScreenId = target, Visited = visited, Version = session.Version + 1 };
    http.Response.Headers.ETag = $"\"{moved.Version}\"";
    await Reply.JsonAsync(http, 200, writer =>
    {
        writer.WriteString("session_id", id);
        writer.WriteNumber("previous_step_index", before);
        writer.WriteNumber("current_step_index", wizard.StepIndex(moved));
        writer.WriteNumber("total_steps", wizard.VisibleScreens(moved.Answers).Count);
        writer.WriteString("status", "in_progress");
    });
}

/// <summary>A caller proven by an API key; a key is checked against its stored hash once, then remembered.</summary>
internal sealed record Caller(long UserId, string Handle, HashSet<string> Scopes, HashSet<int> Projects);

internal sealed class KeyCache(Store store)
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
internal sealed record WizardRow(
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
internal sealed class Wizard(IReadOnlyList<Wizard.Screen> screens)
{
    internal sealed record Screen(string Id, bool Required, string? HiddenByScreen, string[] HiddenByOptions);

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

/// <summary>A pushed run, read from the CLI's payload.</summary>
internal sealed record WizardRunPush(
    string SessionId, string WorkflowId, string SkillId, DateTime StartedAt, string RunPhase, string Tasks,
    string? EventPlan, string? Error, string? PendingInput, string? HandoffText)
{
    private static readonly string[] Phases = ["idle", "running", "completed", "error"];

    public string StoredPhase => char.ToUpperInvariant(RunPhase[0]) + RunPhase[1..];

    public static WizardRunPush? From(JsonElement body)
    {
        string? Text(string name) => body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        string? Raw(string name) => body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value.GetRawText() : null;

        if (Text("session_id") is not { } session || Text("workflow_id") is not { } workflow || Text("skill_id") is not { } skill
            || Text("run_phase") is not { } phase || !Phases.Contains(phase)
            || !DateTime.TryParse(Text("started_at"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var started)
            || !body.TryGetProperty("tasks", out var tasks) || tasks.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return new WizardRunPush(session, workflow, skill, started, phase, tasks.GetRawText(), Raw("event_plan"), Raw("error"),
            Raw("pending_input"), Text("handoff_text"));
    }

    public void Write(Utf8JsonWriter writer, int projectId, DateTime createdAt, DateTime updatedAt)
    {
        writer.WriteString("session_id", SessionId);
        writer.WriteNumber("team_id", projectId);
        writer.WriteString("workflow_id", WorkflowId);
        writer.WriteString("skill_id", SkillId);
        writer.WriteString("started_at", StartedAt.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture));
        writer.WriteString("run_phase", RunPhase);
        writer.WritePropertyName("tasks");
        writer.WriteRawValue(Tasks);
        WriteRawOrNull(writer, "event_plan", EventPlan);
        WriteRawOrNull(writer, "error", Error);
        WriteRawOrNull(writer, "pending_input", PendingInput);
        if (HandoffText is null)
        {
            writer.WriteNull("handoff_text");
        }
        else
        {
            writer.WriteString("handoff_text", HandoffText);
        }

        writer.WriteString("created_at", Reply.Time(createdAt));
        writer.WriteString("updated_at", Reply.Time(updatedAt));
        writer.WriteBoolean("is_stale", false);
    }

    private static void WriteRawOrNull(Utf8JsonWriter writer, string name, string? raw)
    {
        writer.WritePropertyName(name);
        if (raw is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(raw);
        }
    }
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
