using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Migrations.Operations.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Sessions.Infrastructure.Persistence.Migrations;

/// <summary>
/// Column types per provider for hand-written migrations: the same names the model produces,
/// so the migrated schema equals the model (a test checks it).
/// </summary>
internal sealed class StoreTypes(MigrationBuilder migrationBuilder)
{
    public bool IsPostgres { get; } = migrationBuilder.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL";

    public string BigInt => IsPostgres ? "bigint" : "INTEGER";
    public string Int => IsPostgres ? "integer" : "INTEGER";
    public string Bool => IsPostgres ? "boolean" : "INTEGER";
    public string Text => IsPostgres ? "text" : "TEXT";

    /// <summary>
    /// JSON kept as the text that was sent: PostgreSQL's <c>json</c> checks the syntax and stores the text as
    /// is, where <c>jsonb</c> rewrites numbers (<c>1E2</c> reads back as <c>100</c>, <c>1e131071</c> as 131 072
    /// digits) and key order.
    /// </summary>
    public string Json => IsPostgres ? "json" : "TEXT";

    /// <summary>What JSON columns were on PostgreSQL until <see cref="JsonKeptAsSent"/>; only the migrations before it use it.</summary>
    public string Jsonb => IsPostgres ? "jsonb" : "TEXT";
    public string Timestamp => IsPostgres ? "timestamp with time zone" : "TEXT";
    public string Uuid => IsPostgres ? "uuid" : "TEXT";
    public string Bytes => IsPostgres ? "bytea" : "BLOB";

    public string String(int maxLength) => IsPostgres ? $"character varying({maxLength})" : "TEXT";

    /// <summary>A store-generated 64-bit key: AUTOINCREMENT on SQLite, an identity column on PostgreSQL.</summary>
    public OperationBuilder<AddColumnOperation> Identity(ColumnsBuilder table) =>
        table.Column<long>(type: BigInt, nullable: false)
            .Annotation("Sqlite:Autoincrement", true)
            .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
}
