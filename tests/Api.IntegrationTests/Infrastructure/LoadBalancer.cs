using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sessions.Api.IntegrationTests.Infrastructure;

/// <summary>
/// nginx (Debian's package, installed by <c>scripts/nginx.sh</c> when missing) on a loopback port in front of
/// several instances of the service, as a scaled-out deployment runs: round robin; a request whose upstream
/// cannot be reached, or fails before it answered, goes to the next one (nginx does that for idempotent
/// methods, and for any method that was never sent); streams are passed through unbuffered. Every answer
/// names the upstreams that handled it in <c>X-Upstream-Addr</c> and their statuses in <c>X-Upstream-Status</c>.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private LoadBalancer(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LoadBalancer> StartAsync(IEnumerable<Uri> upstreams)
    {
        var nginx = await EnsureNginxAsync();
        var folder = Directory.CreateTempSubdirectory("sessions-nginx-").FullName;
        // The worker processes run as an unprivileged user when the test runs as root; they write temporary files here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }

        var port = ServiceProcess.FreePort();
        var servers = string.Join("\n", upstreams.Select(u => $"    server {u.Host}:{u.Port} max_fails=1 fail_timeout=10s;"));
        var configuration = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(configuration, $$"""
            daemon off;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{folder}}/body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              client_max_body_size 2m;
              upstream sessions {
            {{servers}}
                keepalive 64;
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://sessions;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $http_host;
                  proxy_set_header X-Forwarded-For $remote_addr;
                  # A dead upstream: try the next one. nginx never resends a POST or PATCH it already sent.
                  proxy_next_upstream error timeout;
                  proxy_next_upstream_tries 3;
                  proxy_connect_timeout 2s;
                  # Streams: every frame is passed on at once, and an open stream is not cut by a read timeout.
                  proxy_buffering off;
                  proxy_read_timeout 1h;
                  add_header X-Upstream-Addr $upstream_addr always;
                  add_header X-Upstream-Status $upstream_status always;
                }
              }
            }
            """);

        var start = new ProcessStartInfo(nginx) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-p", folder, "-c", configuration, "-e", Path.Combine(folder, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var balancer = new LoadBalancer(process, folder, new Uri($"http://127.0.0.1:{port}"));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return balancer;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        var log = await balancer.ErrorLogAsync();
        await balancer.DisposeAsync();
        throw new InvalidOperationException($"nginx did not start: {log}");
    }

    /// <summary>The upstream that gave the answer: the last of those nginx tried.</summary>
    public static string? AnsweredBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Upstream-Addr", out var values)
            ? values.Last().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
            : null;

    public async Task<string> ErrorLogAsync()
    {
        var path = Path.Combine(_folder, "error.log");
        return File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<string> EnsureNginxAsync()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryFiles.Root, "scripts", "nginx.sh"));
        start.ArgumentList.Add("ensure");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return process.ExitCode == 0
            ? (await output).Trim()
            : throw new InvalidOperationException($"scripts/nginx.sh ensure exited {process.ExitCode}: {await error}");
    }
}
