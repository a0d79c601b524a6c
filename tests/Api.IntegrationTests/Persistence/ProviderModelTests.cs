using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.IntegrationTests.Persistence;

/// <summary>
/// What can be proved about each provider's schema without a server: the model matches its generated
/// migrations, the migrations print as SQL, and the SQL Server model avoids what SQL Server only
/// refuses when a table is created (over-long index keys, multiple cascade paths, reserved words,
/// implicit precision). These run in CI, where no SQL Server engine is available.
/// </summary>
public sealed partial class ProviderModelTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres, DatabaseProvider.SqlServer];

    private static SessionsDbContext Context(DatabaseProvider provider) => DesignTimeContexts.For(provider).CreateMigrationsContext();

    private static IModel SqlServerModel()
    {
        using var db = Context(DatabaseProvider.SqlServer);
        return db.GetService<IDesignTimeModel>().Model;
    }

    [Theory, MemberData(nameof(Providers))]
    public void TheModel_HasNoChangesMissingFromItsMigrations(DatabaseProvider provider)
    {
        using var db = Context(provider);

        db.Database.GetMigrations().Should().NotBeEmpty();
        db.Database.HasPendingModelChanges().Should().BeFalse(
            $"a model change needs a migration: dotnet ef migrations add <Name> --context {db.GetType().Name} (see README, Databases)");
    }

    [Theory, MemberData(nameof(Providers))]
    public void TheScript_CreatesEveryTableAndIndexOfTheModel(DatabaseProvider provider)
    {
        var script = new DatabaseMigrator(DesignTimeContexts.For(provider), NullLogger<DatabaseMigrator>.Instance).GenerateScript();
        using var db = Context(provider);
        var model = db.GetService<IDesignTimeModel>().Model;
        // SQL Server brackets every name; PostgreSQL and SQLite quote where a name needs it.
        string Name(string name) => provider == DatabaseProvider.SqlServer ? Regex.Escape($"[{name}]") : $"\"?{Regex.Escape(name)}\"?";

        foreach (var table in model.GetRelationalModel().Tables)
        {
            script.Should().MatchRegex($@"CREATE TABLE {Name(table.Name)} \(");
            foreach (var index in table.Indexes)
            {
                script.Should().MatchRegex($@"CREATE (UNIQUE )?INDEX {Name(index.Name)} ON {Name(table.Name)} ");
            }
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            script.Should().Contain("__EFMigrationsHistory").And.MatchRegex("IF NOT EXISTS|DO \\$EF\\$", "the script is idempotent");
        }
    }

    [Fact]
    public void OnSqlServer_EveryTextColumnComparesExactly_AndEveryTimestampKeepsItsTicks()
    {
        var columns = SqlServerModel().GetRelationalModel().Tables.SelectMany(t => t.Columns).ToList();

        var text = columns.Where(c => c.StoreType.StartsWith("nvarchar", StringComparison.Ordinal)).ToList();
        text.Should().NotBeEmpty();
        text.Should().OnlyContain(c => c.Collation == "Latin1_General_100_BIN2",
            "SQL Server's default collations ignore case and accents; SQLite and PostgreSQL compare exactly");
        columns.Where(c => c.StoreType.StartsWith("datetime", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(c => c.StoreType == "datetimeoffset(7)", "100 ns precision, like a .NET timestamp");
        columns.Should().NotContain(c => c.StoreType.StartsWith("varchar", StringComparison.Ordinal) || c.StoreType.StartsWith("char", StringComparison.Ordinal),
            "text is Unicode on every provider");
    }

    [Fact]
    public void OnSqlServer_EveryIndexKeyFitsTheKeySizeLimits()
    {
        foreach (var table in SqlServerModel().GetRelationalModel().Tables)
        {
            var keys = table.Indexes.Select(i => (i.Name, i.Columns, Limit: 1700))
                .Concat(table.UniqueConstraints.Select(u => (u.Name, u.Columns, Limit: u.GetIsPrimaryKey() ? 900 : 1700)))
                .Concat(table.ForeignKeyConstraints.Select(f => (f.Name, f.Columns, Limit: 1700)));
            foreach (var (name, keyColumns, limit) in keys)
            {
                foreach (var column in keyColumns.Where(c => c.StoreType.StartsWith("nvarchar", StringComparison.Ordinal)))
                {
                    column.StoreType.Should().NotBe("nvarchar(max)", $"{table.Name}.{column.Name} is in key {name}");
                    KeyBytes(column).Should().BeLessThanOrEqualTo(900, $"{table.Name}.{column.Name} is in key {name}: nvarchar(450) at most");
                }

                keyColumns.Sum(KeyBytes).Should().BeLessThanOrEqualTo(limit, $"key {name} of {table.Name} must fit SQL Server's key size");
            }
        }
    }

    [Fact]
    public void OnSqlServer_NoTableIsReachedThroughTwoCascadingDeletePaths()
    {
        var cascades = SqlServerModel().GetRelationalModel().Tables
            .SelectMany(t => t.ForeignKeyConstraints)
            .Where(f => f.OnDeleteAction is ReferentialAction.Cascade or ReferentialAction.SetNull)
            .Select(f => (Principal: f.PrincipalTable.Name, Dependent: f.Table.Name))
            .ToList();
        cascades.Should().NotBeEmpty();

        foreach (var root in cascades.Select(c => c.Principal).Distinct())
        {
            // Count the cascade paths from root to every table; SQL Server refuses a second one (and cycles).
            var paths = new Dictionary<string, int>();
            void Walk(string table, int depth)
            {
                depth.Should().BeLessThan(20, $"cascading deletes from {root} form a cycle");
                foreach (var (_, dependent) in cascades.Where(c => c.Principal == table))
                {
                    paths[dependent] = paths.GetValueOrDefault(dependent) + 1;
                    Walk(dependent, depth + 1);
                }
            }

            Walk(root, 0);
            paths.Should().OnlyContain(p => p.Value == 1, $"a delete in {root} may reach each table through one cascade path only");
        }
    }

    [Fact]
    public void OnSqlServer_EveryTimestampAndDecimalHasAnExplicitPrecision()
    {
        foreach (var property in SqlServerModel().GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            var type = property.GetColumnType();
            if (type.StartsWith("datetimeoffset", StringComparison.Ordinal) || type.StartsWith("datetime2", StringComparison.Ordinal)
                || type.StartsWith("decimal", StringComparison.Ordinal))
            {
                property.GetPrecision().Should().NotBeNull($"{property.DeclaringType.DisplayName()}.{property.Name} ({type})");
            }
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public void RawSqlInTheModel_QuotesEveryReservedWord(DatabaseProvider provider)
    {
        using var db = Context(provider);
        var model = db.GetService<IDesignTimeModel>().Model;
        var fragments = model.GetRelationalModel().Tables.SelectMany(t =>
            t.Indexes.Select(i => i.Filter)
                .Concat(t.Columns.Select(c => c.DefaultValueSql))
                .Concat(t.Columns.Select(c => c.ComputedColumnSql))
                .Concat(t.CheckConstraints.Select(c => c.Sql)))
            .OfType<string>()
            .ToList();
        fragments.Should().NotBeEmpty();

        foreach (var fragment in fragments)
        {
            // Words outside quotes, brackets and string literals; SQL's own operators are expected there.
            var bare = QuotedOrLiteral().Replace(fragment, " ");
            foreach (Match word in Word().Matches(bare))
            {
                if (!Operators.Contains(word.Value))
                {
                    ReservedWords.Should().NotContain(word.Value.ToUpperInvariant(), $"'{word.Value}' in \"{fragment}\" must be quoted");
                }
            }
        }
    }

    /// <summary>Bytes a column takes in an index key on SQL Server.</summary>
    private static int KeyBytes(IColumn column)
    {
        var match = Regex.Match(column.StoreType, @"^(n?)var(?:char|binary)\((\d+)\)$");
        var length = match.Success ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return match.Success ? (match.Groups[1].Value == "n" ? 2 * length : length) : column.StoreType switch
        {
            "bigint" => 8,
            "int" => 4,
            "bit" => 1,
            "uniqueidentifier" => 16,
            "datetimeoffset(7)" => 10,
            var other => throw new InvalidOperationException($"no key size known for {other}: add it here"),
        };
    }

    [GeneratedRegex("\"[^\"]*\"|\\[[^\\]]*\\]|'(?:[^']|'')*'")]
    private static partial Regex QuotedOrLiteral();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();

    private static readonly HashSet<string> Operators = new(["IN", "AND", "OR", "NOT", "IS", "NULL", "LIKE", "BETWEEN"], StringComparer.OrdinalIgnoreCase);

    /// <summary>SQL Server's reserved keywords, with PostgreSQL's and SQLite's that SQL Server lacks.</summary>
    private static readonly HashSet<string> ReservedWords =
    [
        "ADD", "ALL", "ALTER", "AND", "ANY", "AS", "ASC", "AUTHORIZATION", "BACKUP", "BEGIN", "BETWEEN", "BREAK", "BROWSE", "BULK", "BY",
        "CASCADE", "CASE", "CHECK", "CHECKPOINT", "CLOSE", "CLUSTERED", "COALESCE", "COLLATE", "COLUMN", "COMMIT", "COMPUTE", "CONSTRAINT",
        "CONTAINS", "CONTAINSTABLE", "CONTINUE", "CONVERT", "CREATE", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME",
        "CURRENT_TIMESTAMP", "CURRENT_USER", "CURSOR", "DATABASE", "DBCC", "DEALLOCATE", "DECLARE", "DEFAULT", "DELETE", "DENY", "DESC",
        "DISK", "DISTINCT", "DISTRIBUTED", "DOUBLE", "DROP", "DUMP", "ELSE", "END", "ERRLVL", "ESCAPE", "EXCEPT", "EXEC", "EXECUTE", "EXISTS",
        "EXIT", "EXTERNAL", "FETCH", "FILE", "FILLFACTOR", "FOR", "FOREIGN", "FREETEXT", "FREETEXTTABLE", "FROM", "FULL", "FUNCTION", "GOTO",
        "GRANT", "GROUP", "HAVING", "HOLDLOCK", "IDENTITY", "IDENTITY_INSERT", "IDENTITYCOL", "IF", "IN", "INDEX", "INNER", "INSERT",
        "INTERSECT", "INTO", "IS", "JOIN", "KEY", "KILL", "LEFT", "LIKE", "LINENO", "LOAD", "MERGE", "NATIONAL", "NOCHECK", "NONCLUSTERED",
        "NOT", "NULL", "NULLIF", "OF", "OFF", "OFFSETS", "ON", "OPEN", "OPENDATASOURCE", "OPENQUERY", "OPENROWSET", "OPENXML", "OPTION",
        "OR", "ORDER", "OUTER", "OVER", "PERCENT", "PIVOT", "PLAN", "PRECISION", "PRIMARY", "PRINT", "PROC", "PROCEDURE", "PUBLIC",
        "RAISERROR", "READ", "READTEXT", "RECONFIGURE", "REFERENCES", "REPLICATION", "RESTORE", "RESTRICT", "RETURN", "REVERT", "REVOKE",
        "RIGHT", "ROLLBACK", "ROWCOUNT", "ROWGUIDCOL", "RULE", "SAVE", "SCHEMA", "SECURITYAUDIT", "SELECT", "SEMANTICKEYPHRASETABLE",
        "SEMANTICSIMILARITYDETAILSTABLE", "SEMANTICSIMILARITYTABLE", "SESSION_USER", "SET", "SETUSER", "SHUTDOWN", "SOME", "STATISTICS",
        "SYSTEM_USER", "TABLE", "TABLESAMPLE", "TEXTSIZE", "THEN", "TO", "TOP", "TRAN", "TRANSACTION", "TRIGGER", "TRUNCATE", "TRY_CONVERT",
        "TSEQUAL", "UNION", "UNIQUE", "UNPIVOT", "UPDATE", "UPDATETEXT", "USE", "USER", "VALUES", "VARYING", "VIEW", "WAITFOR", "WHEN",
        "WHERE", "WHILE", "WITH", "WITHIN", "WRITETEXT",
        // PostgreSQL and SQLite
        "ANALYSE", "ANALYZE", "ARRAY", "ASYMMETRIC", "BOTH", "CAST", "DEFERRABLE", "DO", "FALSE", "LATERAL", "LEADING", "LIMIT",
        "LOCALTIME", "LOCALTIMESTAMP", "OFFSET", "ONLY", "PLACING", "RETURNING", "SYMMETRIC", "TRAILING", "TRUE", "VARIADIC", "WINDOW",
        "ABORT", "AUTOINCREMENT", "GLOB", "ISNULL", "NOTNULL", "REGEXP", "VACUUM",
    ];
}
