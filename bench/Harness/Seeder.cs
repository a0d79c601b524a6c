using System.Data.Common;

namespace Sessions.Bench.Harness;

/// <summary>
/// Fills the four session lists with raw SQL on a database the service migrated. The benchmark
/// user owns <c>own</c> rows of each list; a crowd of other owners holds the rest, up to
/// <c>rows</c> in each table. Ids are deterministic (<c>sess-%016x</c> for wizard sessions), so the
/// load scripts can name the benchmark user's sessions without reading them back.
/// </summary>
internal sealed class Seeder(Store store)
{
    private const long CrowdOffset = 1_000_000_000;

    public async Task SeedAsync(string owner, int own, int rows)
    {
        await using var connection = await store.OpenAsync();
        var ownerId = await ScalarAsync(connection, "SELECT id FROM users WHERE handle = @handle", ("handle", owner))
            ?? throw new InvalidOperationException($"user '{owner}' does not exist: create its key first");
        var crowdId = await ScalarAsync(connection, "SELECT id FROM users WHERE handle = 'crowd'", [])
            ?? await InsertCrowdAsync(connection);

        var benchmark = new Owner(ownerId, owner, Scope: "1");
        var others = new Owner(crowdId, "crowd", Scope: "2");
        foreach (var list in Lists)
        {
            var mine = await ScalarAsync(connection, benchmark.Fill(list.Count), []) ?? 0;
            await InsertAsync(connection, list, benchmark, from: mine + 1, to: own);
            var crowd = await ScalarAsync(connection, others.Fill(list.Count), []) ?? 0;
            await InsertAsync(connection, list, others, from: CrowdOffset + crowd + 1, to: CrowdOffset + rows - own);
        }

        if (store.IsPostgres)
        {
            await using var analyze = store.Command(connection, "ANALYZE");
            await analyze.ExecuteNonQueryAsync();
        }
    }

    /// <summary>S2 moves the owner's sessions back and forth; a run cut off halfway leaves some one screen on.</summary>
    public async Task RewindAsync(string owner)
    {
        await using var connection = await store.OpenAsync();
        await using var rewind = store.Command(connection, store.IsPostgres
            ? """UPDATE wizard_sessions SET current_screen_id = 'screen-01', visited_screens = '["screen-01"]'::jsonb WHERE user_handle = @owner"""
            : """UPDATE wizard_sessions SET current_screen_id = 'screen-01', visited_screens = '["screen-01"]' WHERE user_handle = @owner""",
            ("owner", owner));
        await rewind.ExecuteNonQueryAsync();
    }

    /// <summary>Who owns seeded rows: a user, and the project number and organisation suffix of their rows.</summary>
    private sealed record Owner(long Id, string Handle, string Scope)
    {
        public string Fill(string sql) => sql.Replace("@owner", Id.ToString()).Replace("@handle", $"'{Handle}'").Replace("@scope", Scope);
    }

    /// <summary>One list's table: how to count an owner's rows and the row to insert for number <c>i</c>.</summary>
    private sealed record SeededList(string Table, string OwnerFilter, string Columns, string Values)
    {
        public string Count => $"SELECT COUNT(*) FROM {Table} WHERE {OwnerFilter}";
    }

    // Values use i (the row number), @owner, @handle and @scope (see Owner), and {uuid}, {sessid}
    // and {at} (a time up to 11 days before now, inside every expiry), which Expand writes for the provider.
    private static readonly SeededList[] Lists =
    [
        new("connector_sessions", "owner_user_id = @owner",
            "id, owner_user_id, data, created_at, updated_at, version",
            "{uuid}, @owner, '{\"step\":1}', {at}, {at}, 1"),
        new("wizard_sessions", "user_id = @owner",
            "id, wizard_id, user_id, user_handle, locale, status, current_screen_id, visited_screens, answers, started_at, last_activity_at, version",
            "{sessid}, 'onboarding-wizard-v3', @owner, @handle, 'en', 'InProgress', 'screen-01', '[\"screen-01\"]', "
            + "'{\"screen-01\":{\"chosen\":[\"opt-a\"]}}', {at}, {at}, 1"),
        new("wizard_runs", "project_id = @scope",
            "project_id, session_id, workflow_id, skill_id, started_at, run_phase, tasks, created_at, updated_at, version",
            "@scope, 'run-' || i, 'wf', 'nextjs', {at}, 'Running', '[]', {at}, {at}, 1"),
        new("calculator_sessions", "organisation_id = 'org_@scope'",
            "id, mentor_id, organisation_id, state, event_count, created_at, updated_at, version",
            "'session_' || i, 'mentor', 'org_@scope', 'Initial', 0, {at}, {at}, 1"),
    ];

    private async Task InsertAsync(DbConnection connection, SeededList list, Owner owner, long from, long to)
    {
        if (from > to)
        {
            return;
        }

        var values = owner.Fill(Expand(list.Values));
        var sql = store.IsPostgres
            ? $"INSERT INTO {list.Table} ({list.Columns}) SELECT {values} FROM generate_series({from}, {to}) AS n(i)"
            : $"INSERT INTO {list.Table} ({list.Columns}) WITH RECURSIVE n(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM n WHERE i < {to}) SELECT {values} FROM n";
        await using var insert = store.Command(connection, sql);
        insert.CommandTimeout = 600;
        await insert.ExecuteNonQueryAsync();
    }

    private string Expand(string values) => store.IsPostgres
        ? values
            .Replace("{uuid}", "(lpad(to_hex(i), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid")
            .Replace("{sessid}", "'sess-' || lpad(to_hex(i), 16, '0')")
            .Replace("{at}", "now() - (i % 1000000) * interval '1 second'")
            .Replace("}'", "}'::jsonb").Replace("'[]'", "'[]'::jsonb").Replace("'[\"screen-01\"]'", "'[\"screen-01\"]'::jsonb")
        : values
            .Replace("{uuid}", "printf('%08X-0000-7000-8000-%012X', i, i)")
            .Replace("{sessid}", "printf('sess-%016x', i)")
            .Replace("{at}", "strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (i % 1000000) || ' seconds')");

    private async Task<long> InsertCrowdAsync(DbConnection connection)
    {
        await using var insert = store.Command(connection,
            "INSERT INTO users (handle, created_at, version) VALUES ('crowd', @now, 1)", ("now", store.Timestamp(DateTime.UtcNow)));
        await insert.ExecuteNonQueryAsync();
        return (await ScalarAsync(connection, "SELECT id FROM users WHERE handle = 'crowd'", []))!.Value;
    }

    private async Task<long?> ScalarAsync(DbConnection connection, string sql, params (string, object?)[] parameters)
    {
        await using var command = store.Command(connection, sql, parameters);
        command.CommandTimeout = 600;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? null : Convert.ToInt64(value);
    }
}
