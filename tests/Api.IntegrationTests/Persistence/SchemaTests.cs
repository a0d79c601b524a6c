using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Api.IntegrationTests.Infrastructure;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.IntegrationTests.Persistence;

/// <summary>
/// The migrations are generated from the model; this proves on a live database of each provider that
/// what they build is exactly what the model expects (tables, columns, types, nullability, keys,
/// indexes, foreign keys), so no provider drifts from the others unnoticed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SchemaTests(ApiHosts hosts)
{
    private const string MigrationsHistory = "__EFMigrationsHistory";

    [Theory, ClassData(typeof(Databases))]
    public async Task MigratedSchema_EqualsTheModel(string database)
    {
        var host = await hosts.For(database);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SessionsDbContext>();

        var expected = DescribeModel(db.GetService<IDesignTimeModel>().Model, database);
        var actual = database switch
        {
            Databases.Sqlite => await DescribeSqliteAsync(db),
            Databases.SqlServer => await DescribeSqlServerAsync(db),
            _ => await DescribePostgresAsync(db),
        };

        actual.Should().BeEquivalentTo(expected);
    }

    [Theory, ClassData(typeof(Databases))]
    public async Task EveryMigration_IsApplied(string database)
    {
        var host = await hosts.For(database);
        await using var db = host.Services.GetRequiredService<DatabaseOptions>().CreateMigrationsContext();

        db.Database.GetMigrations().Should().NotBeEmpty();
        (await db.Database.GetPendingMigrationsAsync()).Should().BeEmpty();
        (await db.Database.GetAppliedMigrationsAsync()).Should().Equal(db.Database.GetMigrations());
    }

    private static SortedSet<string> DescribeModel(IModel model, string database)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                facts.Add($"column {table}.{property.GetColumnName(store)} {property.GetColumnType()} {(property.IsColumnNullable(store) ? "null" : "not null")}");
            }

            var primaryKey = entity.FindPrimaryKey()!;
            facts.Add(database == Databases.Sqlite
                ? $"primary key {table}({Columns(primaryKey.Properties, store)})"
                : $"primary key {primaryKey.GetName()} {table}({Columns(primaryKey.Properties, store)})");

            foreach (var index in entity.GetIndexes())
            {
                facts.Add($"index {index.GetDatabaseName()} {table}({Columns(index.Properties, store)}){(index.IsUnique ? " unique" : "")}");
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                var principal = foreignKey.PrincipalEntityType.GetTableName();
                facts.Add(database == Databases.Sqlite
                    ? $"foreign key {table}({Columns(foreignKey.Properties, store)}) -> {principal}"
                    : $"foreign key {foreignKey.GetConstraintName()} {table}({Columns(foreignKey.Properties, store)}) -> {principal}");
            }
        }

        return facts;
    }

    private static string Columns(IEnumerable<IProperty> properties, StoreObjectIdentifier store) =>
        string.Join(",", properties.Select(p => p.GetColumnName(store)));

    private static async Task<SortedSet<string>> DescribeSqliteAsync(SessionsDbContext db)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        var tables = await QueryAsync(db, $"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%'",
            r => r.GetString(0));
        foreach (var table in tables)
        {
            var columns = await QueryAsync(db, $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')",
                r => (Name: r.GetString(0), Type: r.GetString(1), NotNull: r.GetInt64(2) == 1, Pk: r.GetInt64(3)));
            foreach (var column in columns)
            {
                facts.Add($"column {table}.{column.Name} {column.Type} {(column.NotNull ? "not null" : "null")}");
            }

            facts.Add($"primary key {table}({string.Join(",", columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name))})");

            var indexes = await QueryAsync(db, $"SELECT name, \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c'",
                r => (Name: r.GetString(0), Unique: r.GetInt64(1) == 1));
            foreach (var index in indexes)
            {
                var indexColumns = await QueryAsync(db, $"SELECT name FROM pragma_index_info('{index.Name}') ORDER BY seqno", r => r.GetString(0));
                facts.Add($"index {index.Name} {table}({string.Join(",", indexColumns)}){(index.Unique ? " unique" : "")}");
            }

            var foreignKeys = await QueryAsync(db, $"SELECT id, \"table\", \"from\" FROM pragma_foreign_key_list('{table}') ORDER BY id, seq",
                r => (Id: r.GetInt64(0), Principal: r.GetString(1), From: r.GetString(2)));
            foreach (var foreignKey in foreignKeys.GroupBy(f => (f.Id, f.Principal)))
            {
                facts.Add($"foreign key {table}({string.Join(",", foreignKey.Select(f => f.From))}) -> {foreignKey.Key.Principal}");
            }
        }

        return facts;
    }

    private static async Task<SortedSet<string>> DescribePostgresAsync(SessionsDbContext db)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        var columns = await QueryAsync(db, $"""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '{MigrationsHistory}'
            """, r => $"column {r.GetString(0)}.{r.GetString(1)} {r.GetString(2)} {(r.GetBoolean(3) ? "not null" : "null")}");
        facts.UnionWith(columns);

        var indexes = await QueryAsync(db, $"""
            SELECT i.relname, t.relname, ix.indisunique, ix.indisprimary,
                   string_agg(a.attname, ',' ORDER BY k.ord)
            FROM pg_index ix
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE n.nspname = 'public' AND t.relname <> '{MigrationsHistory}'
            GROUP BY i.relname, t.relname, ix.indisunique, ix.indisprimary
            """, r => r.GetBoolean(3)
            ? $"primary key {r.GetString(0)} {r.GetString(1)}({r.GetString(4)})"
            : $"index {r.GetString(0)} {r.GetString(1)}({r.GetString(4)}){(r.GetBoolean(2) ? " unique" : "")}");
        facts.UnionWith(indexes);

        var foreignKeys = await QueryAsync(db, """
            SELECT con.conname, t.relname, p.relname, string_agg(a.attname, ',' ORDER BY k.ord)
            FROM pg_constraint con
            JOIN pg_class t ON t.oid = con.conrelid
            JOIN pg_class p ON p.oid = con.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE con.contype = 'f' AND n.nspname = 'public'
            GROUP BY con.conname, t.relname, p.relname
            """, r => $"foreign key {r.GetString(0)} {r.GetString(1)}({r.GetString(3)}) -> {r.GetString(2)}");
        facts.UnionWith(foreignKeys);
        return facts;
    }

    private static async Task<SortedSet<string>> DescribeSqlServerAsync(SessionsDbContext db)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        facts.UnionWith(await QueryAsync(db, $"""
            SELECT t.name, c.name, ty.name, c.max_length, c.precision, c.scale, c.is_nullable
            FROM sys.columns c JOIN sys.tables t ON t.object_id = c.object_id JOIN sys.types ty ON ty.user_type_id = c.user_type_id
            WHERE t.name <> '{MigrationsHistory}'
            """, r =>
        {
            var type = r.GetString(2);
            var length = r.GetInt16(3);
            var described = type switch
            {
                "nvarchar" or "nchar" => $"{type}({(length == -1 ? "max" : (length / 2).ToString(System.Globalization.CultureInfo.InvariantCulture))})",
                "varchar" or "char" or "varbinary" or "binary" => $"{type}({(length == -1 ? "max" : length.ToString(System.Globalization.CultureInfo.InvariantCulture))})",
                "datetimeoffset" or "datetime2" or "time" => $"{type}({r.GetByte(5)})",
                "decimal" or "numeric" => $"{type}({r.GetByte(4)},{r.GetByte(5)})",
                _ => type,
            };
            return $"column {r.GetString(0)}.{r.GetString(1)} {described} {(r.GetBoolean(6) ? "null" : "not null")}";
        }));

        facts.UnionWith(await QueryAsync(db, $"""
            SELECT i.name, t.name, i.is_unique, i.is_primary_key,
                   STRING_AGG(c.name, ',') WITHIN GROUP (ORDER BY ic.key_ordinal)
            FROM sys.indexes i
            JOIN sys.tables t ON t.object_id = i.object_id
            JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.key_ordinal > 0
            JOIN sys.columns c ON c.object_id = i.object_id AND c.column_id = ic.column_id
            WHERE t.name <> '{MigrationsHistory}'
            GROUP BY i.name, t.name, i.is_unique, i.is_primary_key
            """, r => r.GetBoolean(3)
            ? $"primary key {r.GetString(0)} {r.GetString(1)}({r.GetString(4)})"
            : $"index {r.GetString(0)} {r.GetString(1)}({r.GetString(4)}){(r.GetBoolean(2) ? " unique" : "")}"));

        facts.UnionWith(await QueryAsync(db, """
            SELECT fk.name, t.name, p.name, STRING_AGG(c.name, ',') WITHIN GROUP (ORDER BY fkc.constraint_column_id)
            FROM sys.foreign_keys fk
            JOIN sys.tables t ON t.object_id = fk.parent_object_id
            JOIN sys.tables p ON p.object_id = fk.referenced_object_id
            JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id
            JOIN sys.columns c ON c.object_id = fkc.parent_object_id AND c.column_id = fkc.parent_column_id
            GROUP BY fk.name, t.name, p.name
            """, r => $"foreign key {r.GetString(0)} {r.GetString(1)}({r.GetString(3)}) -> {r.GetString(2)}"));
        return facts;
    }

    private static async Task<List<T>> QueryAsync<T>(SessionsDbContext db, string sql, Func<DbDataReader, T> read)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
