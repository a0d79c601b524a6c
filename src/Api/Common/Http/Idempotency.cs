using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Net.Http.Headers;
using Sessions.Api.Common.Errors;
using MediatR;
using Sessions.Application.Common.Idempotency;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Telemetry;
using Sessions.Application.Access;

namespace Sessions.Api.Common.Http;

/// <summary>
/// Marks a POST that honours <c>Idempotency-Key</c>: the first response is stored per owner (the
/// user and the key's grants, see <see cref="IdempotencyFilter.OwnerOf"/>) and key and replayed (with <c>Idempotent-Replayed: true</c>); the key with another request is 422;
/// while the first is still running, 409 with Retry-After.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdempotentAttribute : Attribute, IFilterFactory
{
    public bool IsReusable => true;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) => new IdempotencyFilter();
}

internal sealed class IdempotencyFilter : IAsyncResourceFilter
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    /// <summary>Response headers that belong to the stored answer.</summary>
    private static readonly string[] ReplayedHeaders = [HeaderNames.Location, HeaderNames.ETag];

    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        string? key = http.Request.Headers[KeyHeader];

        // An empty header is what generated clients send for "no key": the request is simply not idempotent.
        if (string.IsNullOrWhiteSpace(key))
        {
            await next();
            return;
        }

        if (key.Length > MaxKeyLength)
        {
            context.Result = new Problems.ProblemResult(Problems.Validation(
                new Dictionary<string, string[]> { [KeyHeader] = [$"{KeyHeader} must be at most {MaxKeyLength} characters."] }));
            return;
        }

        var store = http.RequestServices.GetRequiredService<IIdempotencyStore>();
        var owner = OwnerOf(http.Features.Get<AuthenticatedKey>()
                            ?? throw new InvalidOperationException("An idempotent action runs only for an authenticated key."));
        var claim = await store.ClaimAsync(owner, key, await FingerprintAsync(http.Request), http.RequestAborted);
        var metrics = http.RequestServices.GetRequiredService<SessionsMetrics>();
        switch (claim)
        {
            case IdempotencyClaim.Replay replay:
                metrics.IdempotentReplay();
                context.Result = new ReplayResult(replay.Response);
                return;
            case IdempotencyClaim.Mismatch:
                metrics.IdempotencyKeyReused();
                context.Result = Problems.Result(StatusCodes.Status422UnprocessableEntity,
                    $"This {KeyHeader} was already used for a different request.", "idempotency_key_reused");
                return;
            case IdempotencyClaim.InFlight:
                metrics.IdempotencyKeyInFlight();
                http.Response.Headers.RetryAfter = "1";
                context.Result = Problems.Result(StatusCodes.Status409Conflict,
                    $"A request with this {KeyHeader} is still being processed.", "idempotency_in_flight");
                return;
        }

        await RunAndRememberAsync(http, store, owner, key, next);
    }

    /// <summary>
    /// The user and a digest of the key's scopes and grants: a key replays only what was stored by a
    /// key that may see exactly what it may see, so a replay never shows a response its caller could
    /// not have read directly (another key of the same user with other grants runs the request anew).
    /// </summary>
    internal static IdempotencyOwner OwnerOf(AuthenticatedKey key)
    {
        var grants = key.Grants;
        var canonical = $"scopes={string.Join(',', grants.Scopes)};projects={string.Join(',', grants.Projects)};"
                        + $"tenants={string.Join(',', grants.Tenants)};organisations={string.Join(',', grants.Organisations)}";
        return new IdempotencyOwner(key.UserId, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
    }

    /// <summary>
    /// Runs the claimed request and hands its response to the unit of work, which stores it in one
    /// transaction with the command's changes: a retry after a crash either replays this response or
    /// finds the claim of a command that never committed.
    /// </summary>
    private static async Task RunAndRememberAsync(
        HttpContext http, IIdempotencyStore store, IdempotencyOwner owner, string key, ResourceExecutionDelegate next)
    {
        var services = http.RequestServices;
        services.GetRequiredService<IdempotentRequest>().Claimed(owner, key);
        var unitOfWork = services.GetRequiredService<IUnitOfWork>();
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        var remembered = false;
        try
        {
            var executed = await next();
            if ((executed.Exception is null || executed.ExceptionHandled) && http.Response.StatusCode < 500)
            {
                var headers = ReplayedHeaders
                    .Where(name => http.Response.Headers.ContainsKey(name))
                    .ToDictionary(name => name, name => http.Response.Headers[name].ToString());
                await unitOfWork.CommitWithResponseAsync(
                    new StoredResponse(http.Response.StatusCode, http.Response.ContentType, buffer.ToArray(), headers),
                    CancellationToken.None);
                remembered = true;
                await services.GetRequiredService<IMediator>().PublishCommittedAsync(unitOfWork, CancellationToken.None);
            }
        }
        finally
        {
            http.Response.Body = original;
            if (!remembered)
            {
                // Nothing worth replaying (the request failed): its held changes are rolled back, and a retry may run it.
                unitOfWork.Reset();
                await store.ReleaseAsync(owner, key, CancellationToken.None);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static async Task<string> FingerprintAsync(HttpRequest request) =>
        Fingerprint(request.Method, $"{request.Path}{request.QueryString}", (await BufferedBody.ReadAsync(request)).Span);

    /// <summary>What makes two requests "the same request": method, path with query, and body bytes.</summary>
    internal static string Fingerprint(string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method} {pathAndQuery}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed class ReplayResult(StoredResponse response) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var http = context.HttpContext.Response;
            http.StatusCode = response.StatusCode;
            foreach (var (name, value) in response.Headers)
            {
                http.Headers[name] = value;
            }

            http.Headers[ReplayedHeader] = "true";
            if (response.Body is not { } body)
            {
                // The first response was larger than the store keeps: the key still prevents a second
                // action, and its status, Location and ETag say where the result is.
                http.ContentLength = 0;
                return;
            }

            http.ContentType = response.ContentType;
            await http.Body.WriteAsync(body, context.HttpContext.RequestAborted);
        }
    }
}
