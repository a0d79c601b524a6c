using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Sessions.Api.Common.Errors;
using Sessions.Application.Access;

namespace Sessions.Api.Common.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> and answers 401/403 as problem details.
/// A refusal is expected traffic, logged as one information line: the framework's base handler,
/// which would add two lines of its own for every refused key, is given no logger.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILogger<ApiKeyAuthenticationHandler> logger,
    UrlEncoder encoder,
    ApiKeyAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ScopeClaim = "scope";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Request.Query.TryGetValue(AcceptsStreamTicketAttribute.QueryName, out var ticket)
                ? await AuthenticateTicketAsync(ticket.ToString())
                : AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var key = await authenticator.AuthenticateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted);
        return key is null ? AuthenticateResult.Fail("The API key is unknown, revoked or expired.") : Success(key);
    }

    /// <summary>A ticket in the query, without a header: only on an operation that accepts one, for its own resource.</summary>
    private async Task<AuthenticateResult> AuthenticateTicketAsync(string ticket)
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<AcceptsStreamTicketAttribute>() is not { } accepts)
        {
            return AuthenticateResult.Fail("A stream ticket opens only the live stream it was issued for; this operation needs 'Authorization: Bearer <api key>'.");
        }

        var resource = AcceptsStreamTicketAttribute.Resolve(accepts.ResourceTemplate, Request.RouteValues);
        var key = await authenticator.AuthenticateTicketAsync(ticket, resource, Context.RequestAborted);
        return key is null
            ? AuthenticateResult.Fail("The stream ticket is unknown, expired, issued for another stream, or its API key is revoked.")
            : Success(key);
    }

    private AuthenticateResult Success(AuthenticatedKey key)
    {
        Context.Features.Set(key);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, key.Handle) };
        claims.AddRange(key.Grants.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        var reason = failure?.Message ?? "This operation needs 'Authorization: Bearer <api key>'.";
        logger.LogInformation("Refused {Method} {Path} with 401: {Reason}", Request.Method, Request.Path, reason);
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, reason);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        logger.LogInformation("Refused {Method} {Path} with 403: the key lacks the scope", Request.Method, Request.Path);
        return Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "The API key lacks the scope this operation needs.");
    }
}
