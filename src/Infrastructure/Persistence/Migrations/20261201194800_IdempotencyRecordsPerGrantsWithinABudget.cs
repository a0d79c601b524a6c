using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>
/// Idempotency records belong to a user's keys with the same grants (the digest joins the primary
/// key), and count what they hold against the user's budget. The table is made again rather than
/// altered: the records are a 24-hour cache, and a record made before this version cannot say whose
/// grants stored it, so it could not be replayed safely anyway (a retry of such a request runs again).
/// </summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261201194800_IdempotencyRecordsPerGrantsWithinABudget")]
public sealed class IdempotencyRecordsPerGrantsWithinABudget : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);
        migrationBuilder.DropTable(name: "idempotency_records");
        migrationBuilder.CreateTable(
            name: "idempotency_records",
            columns: table => new
            {
                user_id = table.Column<long>(type: type.BigInt, nullable: false),
                grants = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                key = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                fingerprint = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                response_status = table.Column<int>(type: type.Int, nullable: true),
                response_content_type = table.Column<string>(type: type.String(255), maxLength: 255, nullable: true),
                response_body = table.Column<byte[]>(type: type.Bytes, nullable: true),
                response_headers = table.Column<string>(type: type.Json, nullable: true),
                stored_bytes = table.Column<int>(type: type.Int, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                claim_expires_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                expires_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_idempotency_records", x => new { x.user_id, x.grants, x.key });
                table.ForeignKey("FK_idempotency_records_users_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_idempotency_records_expires_at", table: "idempotency_records", column: "expires_at");
    }

    /// <summary>Back to the table of 20261123000000_Initial (records are dropped the same way).</summary>
    protected override void Down(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);
        migrationBuilder.DropTable(name: "idempotency_records");
        migrationBuilder.CreateTable(
            name: "idempotency_records",
            columns: table => new
            {
                user_id = table.Column<long>(type: type.BigInt, nullable: false),
                key = table.Column<string>(type: type.String(255), maxLength: 255, nullable: false),
                fingerprint = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                response_status = table.Column<int>(type: type.Int, nullable: true),
                response_content_type = table.Column<string>(type: type.String(255), maxLength: 255, nullable: true),
                response_body = table.Column<byte[]>(type: type.Bytes, nullable: true),
                response_headers = table.Column<string>(type: type.Json, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                claim_expires_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                expires_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_idempotency_records", x => new { x.user_id, x.key });
                table.ForeignKey("FK_idempotency_records_users_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_idempotency_records_expires_at", table: "idempotency_records", column: "expires_at");
    }
}
