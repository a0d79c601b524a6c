using System.Diagnostics;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>A PostgreSQL server of this test's own (scripts/postgres.sh), so stopping it disturbs no other test.</summary>
public sealed class ThrowawayPostgres(string script, string folder, string connectionString) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var script = FindScript();
        var output = await RunAsync(script, "start");
        string Export(string name) => output.Split('\n').Single(line => line.StartsWith($"export {name}=", StringComparison.Ordinal))
            .Split('=', 2)[1].Trim('\'');
        return new ThrowawayPostgres(script, Export("SESSIONS_TEST_POSTGRES_DIR"), Export("SESSIONS_TEST_POSTGRES"));
    }

    public Task HaltAsync() => RunAsync(script, "halt", folder);

    public Task ResumeAsync() => RunAsync(script, "resume", folder);

    public async ValueTask DisposeAsync() => await RunAsync(script, "stop", folder);

    private static string FindScript() => Path.Combine(RepositoryFiles.Root, "scripts", "postgres.sh");

    private static async Task<string> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postgres.sh {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
        }

        return await output;
    }
}
