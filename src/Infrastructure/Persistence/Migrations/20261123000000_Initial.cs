using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>Access (users, keys), idempotency records and the ConnectorSessions module.</summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261123000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        var type = new StoreTypes(migrationBuilder);

        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                id = table.Column<long>(type: type.BigInt, nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                handle = table.Column<string>(type: type.String(64), maxLength: 64, nullable: false),
                name = table.Column<string>(type: type.String(200), maxLength: 200, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_users", x => x.id));

        migrationBuilder.CreateIndex(name: "IX_users_handle", table: "users", column: "handle", unique: true);

        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: table => new
            {
                id = table.Column<long>(type: type.BigInt, nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                prefix = table.Column<string>(type: type.String(12), maxLength: 12, nullable: false),
                secret_hash = table.Column<byte[]>(type: type.Bytes, nullable: false),
                user_id = table.Column<long>(type: type.BigInt, nullable: false),
                name = table.Column<string>(type: type.String(200), maxLength: 200, nullable: true),
                grants = table.Column<string>(type: type.Jsonb, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                expires_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: true),
                revoked_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: true),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_api_keys", x => x.id);
                table.ForeignKey("FK_api_keys_users_user_id", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_api_keys_prefix", table: "api_keys", column: "prefix", unique: true);
        migrationBuilder.CreateIndex(name: "IX_api_keys_user_id", table: "api_keys", column: "user_id");

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
                response_headers = table.Column<string>(type: type.Jsonb, nullable: true),
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

        migrationBuilder.CreateTable(
            name: "connector_sessions",
            columns: table => new
            {
                id = table.Column<Guid>(type: type.Uuid, nullable: false),
                owner_user_id = table.Column<long>(type: type.BigInt, nullable: false),
                data = table.Column<string>(type: type.Jsonb, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: type.Timestamp, nullable: false),
                version = table.Column<long>(type: type.BigInt, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_connector_sessions", x => new { x.owner_user_id, x.id });
                table.ForeignKey("FK_connector_sessions_users_owner_user_id", x => x.owner_user_id, "users", "id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "IX_connector_sessions_owner_user_id_created_at",
            table: "connector_sessions",
            columns: ["owner_user_id", "created_at"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "connector_sessions");
        migrationBuilder.DropTable(name: "idempotency_records");
        migrationBuilder.DropTable(name: "api_keys");
        migrationBuilder.DropTable(name: "users");
    }
}
