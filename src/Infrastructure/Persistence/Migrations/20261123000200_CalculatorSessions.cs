using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>The CalculatorSessions module: sessions, their immutable results and their append-only event log.</summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261123000200_CalculatorSessions")]
public sealed class CalculatorSessions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "calculator_sessions",
            columns: table => new
            {
                id = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                mentor_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                organisation_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                state = table.Column<string>(type: type.String(16), maxLength: 16, nullable: false),
                last_event = table.Column<string>(type: type.String(32), maxLength: 32, nullable: true),
                result_id = table.Column<string>(type: type.String(64), maxLength: 64, nullable: true),
                share_token = table.Column<string>(type: type.String(64), maxLength: 64, nullable: true),
                event_count = table.Column<int>(type: type.Int, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_calculator_sessions", x => x.id));

        migrationBuilder.CreateIndex(
            name: "IX_calculator_sessions_organisation_id_created_at",
            table: "calculator_sessions",
            columns: ["organisation_id", "created_at"]);

        migrationBuilder.CreateTable(
            name: "calculation_results",
            columns: table => new
            {
                id = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                session_id = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                organisation_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                inputs = table.Column<string>(type: type.Jsonb, nullable: false),
                outputs = table.Column<string>(type: type.Jsonb, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_calculation_results", x => x.id);
                table.ForeignKey("FK_calculation_results_calculator_sessions_session_id", x => x.session_id,
                    "calculator_sessions", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_calculation_results_session_id", table: "calculation_results", column: "session_id");

        migrationBuilder.CreateTable(
            name: "calculator_events",
            columns: table => new
            {
                session_id = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                sequence = table.Column<int>(type: type.Int, nullable: false),
                @event = table.Column<string>(name: "event", type: type.String(32), maxLength: 32, nullable: false),
                payload = table.Column<string>(type: type.Jsonb, nullable: true),
                state_before = table.Column<string>(type: type.String(16), maxLength: 16, nullable: false),
                state_after = table.Column<string>(type: type.String(16), maxLength: 16, nullable: false),
                result_id = table.Column<string>(type: type.String(64), maxLength: 64, nullable: true),
                occurred_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_calculator_events", x => new { x.session_id, x.sequence });
                table.ForeignKey("FK_calculator_events_calculator_sessions_session_id", x => x.session_id,
                    "calculator_sessions", "id", onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "calculator_events");
        migrationBuilder.DropTable(name: "calculation_results");
        migrationBuilder.DropTable(name: "calculator_sessions");
    }
}
