using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>Everything a host's database holds, as text: every cell of every table (bytes also as UTF-8 and hex).</summary>
public static class StoredText
{
    public static async Task<string> AllAsync(ApiHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SessionsDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = await ReadAsync(connection, db.Database.IsNpgsql()
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : db.Database.IsSqlServer()
                ? "SELECT name FROM sys.tables"
                : "SELECT name FROM sqlite_master WHERE type = 'table'");
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            foreach (var cell in await ReadAsync(connection, $"SELECT * FROM \"{table}\""))
            {
                text.AppendLine(cell);
            }
        }

        return text.ToString();
    }

    private static async Task<List<string>> ReadAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var cells = new List<string>();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                cells.Add(reader.GetValue(i) switch
                {
                    byte[] bytes => $"{Encoding.UTF8.GetString(bytes)} {Convert.ToHexString(bytes)}",
                    var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
                });
            }
        }

        return cells;
    }
}
