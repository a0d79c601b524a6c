using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>The WizardRuns module: one row per (project, session_id), free-form parts as JSON.</summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261123000300_WizardRuns")]
public sealed class WizardRuns : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "wizard_runs",
            columns: table => new
            {
                id = table.Column<long>(type: type.BigInt, nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                project_id = table.Column<int>(type: type.Int, nullable: false),
                session_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                workflow_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                skill_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                started_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                run_phase = table.Column<string>(type: type.String(16), maxLength: 16, nullable: false),
                tasks = table.Column<string>(type: type.Jsonb, nullable: false),
                event_plan = table.Column<string>(type: type.Jsonb, nullable: true),
                error = table.Column<string>(type: type.Jsonb, nullable: true),
                pending_input = table.Column<string>(type: type.Jsonb, nullable: true),
                handoff_text = table.Column<string>(type: type.Text, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_wizard_runs", x => x.id));

        migrationBuilder.CreateIndex(
            name: "IX_wizard_runs_project_id_session_id", table: "wizard_runs", columns: ["project_id", "session_id"], unique: true);
        migrationBuilder.CreateIndex(
            name: "IX_wizard_runs_project_workflow_skill_started_created",
            table: "wizard_runs",
            columns: ["project_id", "workflow_id", "skill_id", "started_at", "created_at"]);
        migrationBuilder.CreateIndex(
            name: "IX_wizard_runs_project_id_started_at_created_at",
            table: "wizard_runs",
            columns: ["project_id", "started_at", "created_at"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "wizard_runs");
}
