using System.Data.Common;
using System.Globalization;
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
