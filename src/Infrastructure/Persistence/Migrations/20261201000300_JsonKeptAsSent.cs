using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>
/// Every JSON column on PostgreSQL becomes <c>json</c> instead of <c>jsonb</c>. <c>jsonb</c> stores a parsed
/// value and writes it out again in its own form: numbers lose their spelling (<c>-0</c> -> <c>0</c>,
/// <c>1E2</c> -> <c>100</c>) and grow without bound (<c>1e131071</c>, 8 bytes sent, reads back as 131 072
/// digits), so a small body could make every read, list and stream frame megabytes long. <c>json</c> checks
/// the syntax and keeps the text exactly as written. SQLite's TEXT already did; nothing changes there.
/// Values stored before this migration keep the form <c>jsonb</c> gave them (the cast copies its text).
/// </summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261201000300_JsonKeptAsSent")]
public sealed class JsonKeptAsSent : Migration
{
    /// <summary>Every JSON column of the schema: (table, column, nullable).</summary>
    private static readonly (string Table, string Column, bool Nullable)[] JsonColumns =
    [
        ("api_keys", "grants", false),
        ("idempotency_records", "response_headers", true),
        ("connector_sessions", "data", false),
        ("wizard_sessions", "visited_screens", false),
        ("wizard_sessions", "answers", false),
        ("calculation_results", "inputs", false),
        ("calculation_results", "outputs", false),
        ("calculator_events", "payload", true),
        ("wizard_runs", "tasks", false),
        ("wizard_runs", "event_plan", true),
        ("wizard_runs", "error", true),
        ("wizard_runs", "pending_input", true),
        ("operation_runs", "result", true),
        ("onboarding_evidence", "payload", false),
    ];

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);
        ChangeType(migrationBuilder, type, from: type.Jsonb, to: type.Json);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);
        ChangeType(migrationBuilder, type, from: type.Json, to: type.Jsonb);
    }

    private static void ChangeType(MigrationBuilder migrationBuilder, StoreTypes type, string from, string to)
    {
        // Both are TEXT on SQLite, where altering a column would rebuild the table for nothing.
        if (!type.IsPostgres)
        {
            return;
        }

        foreach (var (table, column, nullable) in JsonColumns)
        {
            migrationBuilder.AlterColumn<string>(
                name: column, table: table, type: to, nullable: nullable,
                oldClrType: typeof(string), oldType: from, oldNullable: nullable);
        }
    }
}
