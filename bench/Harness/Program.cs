using System.Runtime.InteropServices;
using Npgsql;
using Sessions.Bench;
using Sessions.Bench.Harness;

switch (args)
{
    case ["database", var server, var name]:
        Console.WriteLine(await RecreateDatabaseAsync(server, name));
        return 0;
    case ["seed", var provider, var connection, var owner, var own, var rows]:
        await new Seeder(new Store(provider, connection)).SeedAsync(owner, int.Parse(own), int.Parse(rows));
        return 0;
    case ["rewind", var provider, var connection, var owner]:
        await new Seeder(new Store(provider, connection)).RewindAsync(owner);
        return 0;
    case ["streams", var baseUrl, var key, var pid, var streams, var upserts]:
        Console.WriteLine(await StreamScenario.RunAsync(new Uri(baseUrl), key, int.Parse(pid), int.Parse(streams), int.Parse(upserts)));
        return 0;
    case ["onboarding", var baseUrl, var key, var tenants]:
        Console.WriteLine(await MixedScenario.StartOnboardingAsync(new Uri(baseUrl), key, int.Parse(tenants)));
        return 0;
    case ["hold-streams", var baseUrl, var key, var streams, var workflows]:
    {
        // run.sh ends the hold with SIGTERM once the mixed load is done; the checks then run and print.
        using var stop = new CancellationTokenSource();
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        Console.WriteLine(await MixedScenario.HoldStreamsAsync(new Uri(baseUrl), key, int.Parse(streams), int.Parse(workflows), stop.Token));
        return 0;
    }
    case ["report", var results]:
        Console.Write(Report.Markdown(File.ReadAllLines(results)));
        return 0;
    default:
        Console.Error.WriteLine("""
            usage: Sessions.Bench.Harness <verb>
              database <server connection string> <name>    drop and create a PostgreSQL database, print its connection string
              seed <provider> <connection> <owner> <own> <rows>    fill the session lists (owner's rows, rows per table)
              rewind <provider> <connection> <owner>        put the owner's wizard sessions back on their first screen
              streams <base url> <key> <service pid> <streams> <upserts>    S5, one JSON line
              onboarding <tenants url> <key> <tenants>      start an onboarding session in tenants 1..n, print tenant/session pairs
              hold-streams <project url> <key> <streams> <workflows>    S6: hold streams open until SIGTERM, then one JSON line
              report <results.jsonl>                        the markdown tables
            """);
        return 2;
}

static async Task<string> RecreateDatabaseAsync(string server, string name)
{
    await using var source = NpgsqlDataSource.Create(server);
    await using (var drop = source.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
    {
        await drop.ExecuteNonQueryAsync();
    }

    await using (var create = source.CreateCommand($"CREATE DATABASE \"{name}\""))
    {
        await create.ExecuteNonQueryAsync();
    }

    return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
}
