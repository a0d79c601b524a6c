namespace Sessions.Application.Common.Security;

/// <summary>Who is making the current request, as proven by their API key.</summary>
public interface ICaller
{
    long UserId { get; }
    string Handle { get; }

    /// <summary>The caller's display name, read with the key (it never changes), so no request reads the user for it.</summary>
    string? Name { get; }

    /// <summary>The public prefix of the key that proved the caller: what is counted and watched per key (open streams).</summary>
    string KeyPrefix { get; }
    bool HasScope(string scope);
    bool HasProject(int projectId);
    bool HasTenant(int tenantId);
    bool HasOrganisation(string organisationId);

    /// <summary>The organisations whose rows the caller may see.</summary>
    IReadOnlyList<string> Organisations { get; }
}
