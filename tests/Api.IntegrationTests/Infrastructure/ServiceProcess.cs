using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The built service as a real process on a loopback port, for what an in-memory host cannot show:
/// its resident memory, its console log, and what survives when it is killed.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServiceProcess(Process process, Uri baseAddress, ConcurrentQueue<string> output)
    {
        _process = process;
        BaseAddress = baseAddress;
        _output = output;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>Whether the process has ended (killed, or killed itself through a fault seam).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Every line the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>Console log lines at error or critical level (the console logger prefixes them <c>fail:</c> and <c>crit:</c>).</summary>
    public IEnumerable<string> ErrorLines => _output.Where(line => line.StartsWith("fail:", StringComparison.Ordinal)
                                                                  || line.StartsWith("crit:", StringComparison.Ordinal));

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Sessions.Api.dll");

    public static async Task<ServiceProcess> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        port ??= FreePort();
        var start = Start(database, settings);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), output);
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await service.DisposeAsync();
        throw new InvalidOperationException($"the service did not start:\n{string.Join('\n', output)}");
    }

    /// <summary>What a CLI verb did: its exit code, stdout and stderr.</summary>
    public sealed record VerbResult(int ExitCode, string Output, string Error)
    {
        public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Runs a CLI verb (<c>migrate</c>, <c>keys create …</c>) of the built binary against the database.</summary>
    public static async Task<VerbResult> RunVerbAsync(TestDatabase database, params string[] args)
    {
        var start = Start(database, settings: null);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new VerbResult(process.ExitCode, await output, await error);
    }

    /// <summary>A user with every scope and grants to project 1, tenant 1 and organisation org_1; returns its key.</summary>
    public static async Task<string> CreateKeyAsync(TestDatabase database, string handle)
    {
        var created = await RunVerbAsync(database, "keys", "create", "--user", handle, "--scopes", string.Join(',', Sessions.Domain.Access.Scopes.All),
            "--projects", "1", "--tenants", "1", "--organisations", "org_1");
        return created.ExitCode == 0 ? created.Lines[^1] : throw new InvalidOperationException($"keys create exited {created.ExitCode}: {created.Error}");
    }

    public HttpClient CreateClient(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public long ResidentKilobytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
        }

        throw new InvalidOperationException("no VmRSS");
    }

    /// <summary>SIGKILL: no shutdown, no flush, exactly what a crash does.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Start(TestDatabase database, IReadOnlyDictionary<string, string>? settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Sessions__Database__Provider"] = database.Provider,
                ["ConnectionStrings__Sessions"] = database.ConnectionString,
                ["Sessions__Secrets__Key"] = ApiHost.SecretsKey,
                ["Sessions__Api__RateLimitPerSecond"] = "100000",
                ["Sessions__Api__RateLimitBurst"] = "100000",
            },
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add(Dll);
        return start;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
