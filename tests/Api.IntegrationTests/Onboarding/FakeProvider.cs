using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Api.IntegrationTests.Onboarding;

/// <summary>
/// A tenant's identity provider, served on a loopback port by the test. Each behaviour lives under
/// its own base path: <c>/fast</c>, <c>/slow</c>, <c>/broken</c> (500), <c>/partial</c> (an optional
/// permission missing), <c>/missing</c> (a required one missing) and <c>/echo</c> (401 whose error
/// text repeats the credentials it was sent, as careless providers do); a test may add its own answer
/// under a base path of its own with <see cref="Answering"/>.
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeProvider(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Every call the provider received, with the Basic credentials it carried.</summary>
    public ConcurrentQueue<ProviderCall> Calls { get; } = new();

    public string BaseUrl(string behaviour) => new Uri(Address, behaviour).ToString();

    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _answers = new(StringComparer.Ordinal);

    /// <summary>A base URL under which both checks (<c>/health</c>, <c>/permissions</c>) are answered by <paramref name="answer"/>.</summary>
    public string Answering(Func<HttpContext, Task> answer)
    {
        var behaviour = $"answer-{Guid.NewGuid():N}";
        _answers[behaviour] = answer;
        return BaseUrl(behaviour);
    }

    public static async Task<FakeProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeProvider? provider = null;
        string[] all = ["directory.read", "users.read", "audit.read"];

        app.Use(async (context, next) =>
        {
            var credentials = Credentials(context.Request);
            provider!.Calls.Enqueue(new ProviderCall(credentials[..credentials.IndexOf(':')], credentials[(credentials.IndexOf(':') + 1)..],
                context.Request.Path));
            var behaviour = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (behaviour is not null && provider._answers.TryGetValue(behaviour, out var answer))
            {
                await answer(context);
                return;
            }

            await next(context);
        });
        app.MapGet("/fast/health", () => Results.Ok(new { status = "up" }));
        app.MapGet("/slow/health", async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(700));
            return Results.Ok(new { status = "up" });
        });
        app.MapGet("/broken/health", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
        app.MapGet("/echo/{check}", (HttpRequest request) => Results.Text(
            $"invalid_client: the credentials '{Credentials(request)}' were not accepted", statusCode: StatusCodes.Status401Unauthorized));
        app.MapGet("/{behaviour}/permissions", (string behaviour) => behaviour switch
        {
            "fast" => Results.Ok(new { granted = all }),
            "partial" => Results.Ok(new { granted = all[..2] }),
            "missing" => Results.Ok(new { granted = new[] { "audit.read" } }),
            _ => Results.StatusCode(StatusCodes.Status500InternalServerError),
        });
        app.MapGet("/{behaviour}/health", () => Results.Ok(new { status = "up" }));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        provider = new FakeProvider(app, new Uri(address.TrimEnd('/') + "/"));
        return provider;
    }

    /// <summary>"client_id:client_secret" from a Basic Authorization header.</summary>
    private static string Credentials(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Basic ", StringComparison.Ordinal)
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]))
            : ":";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>One call a provider received: who called (Basic credentials) and what.</summary>
public sealed record ProviderCall(string ClientId, string Secret, string Path);
