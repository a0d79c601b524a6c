using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>
/// A connector session's data is returned as sent: on PostgreSQL the column becomes <c>json</c>, which
/// keeps the text, where <c>jsonb</c> rewrote numbers (<c>-0.0</c> as <c>0.0</c>, <c>1.5e300</c> as 301
/// digits) and reordered keys. SQLite's TEXT always kept it.
/// </summary>
[DbContext(typeof(SessionsDbContext))]
[Migration("20261201000000_ConnectorDataKeptAsSent")]
public sealed class ConnectorDataKeptAsSent : Migration
{
    private const string Postgres = "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider == Postgres)
        {
            migrationBuilder.Sql("ALTER TABLE connector_sessions ALTER COLUMN data TYPE json USING data::json;");
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (migrationBuilder.ActiveProvider == Postgres)
        {
            migrationBuilder.Sql("ALTER TABLE connector_sessions ALTER COLUMN data TYPE jsonb USING data::jsonb;");
        }
    }
}
