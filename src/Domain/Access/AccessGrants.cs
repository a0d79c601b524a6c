using Sessions.Domain.Common;

namespace Sessions.Domain.Access;

/// <summary>What a key may do (scopes) and whose rows it may see (projects, tenants, organisations).</summary>
public sealed record AccessGrants
{
    public const int MaxOrganisationIdLength = 255;

    public AccessGrants(
        IEnumerable<string> scopes,
        IEnumerable<int>? projects = null,
        IEnumerable<int>? tenants = null,
        IEnumerable<string>? organisations = null)
    {
        Scopes = scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        Projects = (projects ?? []).Distinct().Order().ToArray();
        Tenants = (tenants ?? []).Distinct().Order().ToArray();
        Organisations = (organisations ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

        if (Scopes.Count == 0)
        {
            throw new RuleViolationException("scopes", "scopes_required", "A key needs at least one scope.");
        }

        var unknown = Scopes.FirstOrDefault(s => !Access.Scopes.IsKnown(s));
        if (unknown is not null)
        {
            throw new RuleViolationException("scopes", "unknown_scope",
                $"Unknown scope '{unknown}'. Known scopes: {string.Join(", ", Access.Scopes.All)}.");
        }

        if (Projects.Any(p => p <= 0) || Tenants.Any(t => t <= 0))
        {
            throw new RuleViolationException("grants", "invalid_grant", "Project and tenant ids are positive integers.");
        }

        if (Organisations.Any(o => string.IsNullOrWhiteSpace(o) || o.Length > MaxOrganisationIdLength || o.Contains(',')))
        {
            throw new RuleViolationException("organisations", "invalid_grant",
                $"Organisation ids are 1 to {MaxOrganisationIdLength} characters without commas.");
        }
    }

    public IReadOnlyList<string> Scopes { get; }
    public IReadOnlyList<int> Projects { get; }
    public IReadOnlyList<int> Tenants { get; }
    public IReadOnlyList<string> Organisations { get; }

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);
}
