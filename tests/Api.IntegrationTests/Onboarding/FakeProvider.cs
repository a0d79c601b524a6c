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
/// permission missing) and <c>/missing</c> (a required one missing); a test may add its own answer
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

    /// <summary>The Authorization headers the provider received, to prove the credentials are used.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

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
            provider!.Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
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

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
