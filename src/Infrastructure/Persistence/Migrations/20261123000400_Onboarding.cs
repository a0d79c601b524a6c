using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>The Onboarding module: provider connections, sessions, operation runs (the worker's queue) and evidence.</summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261123000400_Onboarding")]
public sealed class Onboarding : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "provider_connections",
            columns: table => new
            {
                id = type.Identity(table),
                tenant_id = table.Column<int>(type: type.Int, nullable: false),
                display_name = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                base_url = table.Column<string>(type: type.String(2048), maxLength: 2048, nullable: false),
                auth_mode = table.Column<string>(type: type.String(32), maxLength: 32, nullable: false),
                client_id = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                client_secret = table.Column<string>(type: type.String(1024), maxLength: 1024, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_provider_connections", x => x.id));
        migrationBuilder.CreateIndex(name: "IX_provider_connections_tenant_id", table: "provider_connections", column: "tenant_id");

        migrationBuilder.CreateTable(
            name: "onboarding_sessions",
            columns: table => new
            {
                id = type.Identity(table),
                tenant_id = table.Column<int>(type: type.Int, nullable: false),
                provider_connection_id = table.Column<long>(type: type.BigInt, nullable: true),
                status = table.Column<string>(type: type.String(16), maxLength: 16, nullable: false),
                current_step = table.Column<int>(type: type.Int, nullable: false),
                assigned_to_user_id = table.Column<long>(type: type.BigInt, nullable: true),
                locked_by_user_id = table.Column<long>(type: type.BigInt, nullable: true),
                locked_until = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_onboarding_sessions", x => x.id);
                table.ForeignKey("FK_onboarding_sessions_provider_connection", x => x.provider_connection_id,
                    "provider_connections", "id", onDelete: ReferentialAction.Restrict);
            });
        migrationBuilder.CreateIndex(name: "IX_onboarding_sessions_active_tenant", table: "onboarding_sessions", column: "tenant_id",
            unique: true, filter: "status IN ('Draft', 'InProgress')");
        migrationBuilder.CreateIndex(name: "IX_onboarding_sessions_provider_connection_id", table: "onboarding_sessions",
            column: "provider_connection_id");

        migrationBuilder.CreateTable(
            name: "operation_runs",
            columns: table => new
            {
                id = type.Identity(table),
                tenant_id = table.Column<int>(type: type.Int, nullable: false),
                onboarding_session_id = table.Column<long>(type: type.BigInt, nullable: true),
                provider_connection_id = table.Column<long>(type: type.BigInt, nullable: true),
                task_type = table.Column<string>(type: type.String(128), maxLength: 128, nullable: false),
                status = table.Column<string>(type: type.String(16), maxLength: 16, nullable: false),
                attempts = table.Column<int>(type: type.Int, nullable: false),
                lease_owner = table.Column<string>(type: type.String(128), maxLength: 128, nullable: true),
                lease_expires_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                started_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: true),
                finished_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: true),
                result = table.Column<string>(type: type.Jsonb, nullable: true),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_operation_runs", x => x.id));
        migrationBuilder.CreateIndex(name: "IX_operation_runs_active_task", table: "operation_runs", columns: ["tenant_id", "task_type"],
            unique: true, filter: "status IN ('Queued', 'Running')");
        migrationBuilder.CreateIndex(name: "IX_operation_runs_status_id", table: "operation_runs", columns: ["status", "id"]);

        migrationBuilder.CreateTable(
            name: "onboarding_evidence",
            columns: table => new
            {
                id = type.Identity(table),
                tenant_id = table.Column<int>(type: type.Int, nullable: false),
                onboarding_session_id = table.Column<long>(type: type.BigInt, nullable: true),
                provider_connection_id = table.Column<long>(type: type.BigInt, nullable: true),
                task_type = table.Column<string>(type: type.String(128), maxLength: 128, nullable: false),
                status = table.Column<string>(type: type.String(16), maxLength: 16, nullable: false),
                reason_code = table.Column<string>(type: type.String(64), maxLength: 64, nullable: true),
                message = table.Column<string>(type: type.String(1000), maxLength: 1000, nullable: true),
                payload = table.Column<string>(type: type.Jsonb, nullable: false),
                operation_run_id = table.Column<long>(type: type.BigInt, nullable: false),
                recorded_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_onboarding_evidence", x => x.id);
                table.ForeignKey("FK_onboarding_evidence_operation_runs_operation_run_id", x => x.operation_run_id,
                    "operation_runs", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_onboarding_evidence_operation_run_id", table: "onboarding_evidence",
            column: "operation_run_id", unique: true);
        migrationBuilder.CreateIndex(name: "IX_onboarding_evidence_tenant_id_task_type_recorded_at", table: "onboarding_evidence",
            columns: ["tenant_id", "task_type", "recorded_at"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "onboarding_evidence");
        migrationBuilder.DropTable(name: "operation_runs");
        migrationBuilder.DropTable(name: "onboarding_sessions");
        migrationBuilder.DropTable(name: "provider_connections");
    }
}
