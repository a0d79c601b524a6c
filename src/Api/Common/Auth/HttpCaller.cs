using Sessions.Application.Access;
using Sessions.Application.Common.Security;

namespace Sessions.Api.Common.Auth;

/// <summary>The authenticated key of the current request, as the application sees it.</summary>
public sealed class HttpCaller(IHttpContextAccessor accessor) : ICaller
{
    private AuthenticatedKey Key =>
        accessor.HttpContext?.Features.Get<AuthenticatedKey>()
        ?? throw new InvalidOperationException("No authenticated API key on this request.");

    public long UserId => Key.UserId;
    public string Handle => Key.Handle;
    public string? Name => Key.Name;
    public string KeyPrefix => Key.Prefix;
    public bool HasScope(string scope) => Key.Grants.HasScope(scope);
    public bool HasProject(int projectId) => Key.Grants.Projects.Contains(projectId);
    public bool HasTenant(int tenantId) => Key.Grants.Tenants.Contains(tenantId);
    public bool HasOrganisation(string organisationId) => Key.Grants.Organisations.Contains(organisationId, StringComparer.Ordinal);
    public IReadOnlyList<string> Organisations => Key.Grants.Organisations;
}
