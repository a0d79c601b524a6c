using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>The WizardSessions module: one row per session, answers and visited path as JSON.</summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261123000100_WizardSessions")]
public sealed class WizardSessions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "wizard_sessions",
            columns: table => new
            {
                id = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                wizard_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                user_id = table.Column<long>(type: type.BigInt, nullable: false),
                user_handle = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                locale = table.Column<string>(type: type.String(35), maxLength: 35, nullable: false),
                status = table.Column<string>(type: type.String(16), maxLength: 16, nullable: false),
                current_screen_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                visited_screens = table.Column<string>(type: type.Jsonb, nullable: false),
                answers = table.Column<string>(type: type.Jsonb, nullable: false),
                started_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                last_activity_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                completed_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: true),
                draft_id = table.Column<string>(type: type.String(64), maxLength: 64, nullable: true),
                draft_step_index = table.Column<int>(type: type.Int, nullable: true),
                draft_saved_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: true),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_wizard_sessions", x => x.id);
                table.ForeignKey("FK_wizard_sessions_users_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "IX_wizard_sessions_user_id_status_last_activity_at",
            table: "wizard_sessions",
            columns: ["user_id", "status", "last_activity_at"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "wizard_sessions");
}
