using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>
/// Provider client secrets are stored sealed (AES-GCM, base64), which is longer than the 1024
/// characters a clear secret may have: the column is renamed for what it holds and becomes unbounded
/// text (SQLite's TEXT already is). Secrets stored in clear before this version cannot be unsealed;
/// such connections are registered again.
/// </summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261126000000_SealedProviderSecrets")]
public sealed class SealedProviderSecrets : Migration
{
    private const string Postgres = "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.RenameColumn(name: "client_secret", table: "provider_connections", newName: "sealed_client_secret");
        if (migrationBuilder.ActiveProvider == Postgres)
        {
            migrationBuilder.AlterColumn<string>(
                name: "sealed_client_secret", table: "provider_connections", type: "text", nullable: false,
                oldClrType: typeof(string), oldType: "character varying(1024)", oldMaxLength: 1024);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider == Postgres)
        {
            migrationBuilder.AlterColumn<string>(
                name: "sealed_client_secret", table: "provider_connections", type: "character varying(1024)", maxLength: 1024, nullable: false,
                oldClrType: typeof(string), oldType: "text");
        }

        migrationBuilder.RenameColumn(name: "sealed_client_secret", table: "provider_connections", newName: "client_secret");
    }
}
