namespace Sessions.Application.Common.Security;

/// <summary>Who is making the current request, as proven by their API key.</summary>
public interface ICaller
{
    long UserId { get; }
    string Handle { get; }
    bool HasScope(string scope);
    bool HasProject(int projectId);
    bool HasTenant(int tenantId);
    bool HasOrganisation(string organisationId);

    /// <summary>The organisations whose rows the caller may see.</summary>
    IReadOnlyList<string> Organisations { get; }
}
