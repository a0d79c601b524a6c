namespace Sessions.Api.Common.Auth;

/// <summary>
/// Marks the one kind of operation a stream ticket may open instead of an <c>Authorization</c> header: a
/// live stream a browser reads with <c>EventSource</c>, which cannot send headers. The ticket is accepted
/// only when it was issued for this operation's resource, with the route values filled in (one project's
/// stream, say); on every other operation a ticket is refused with 401.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsStreamTicketAttribute(string resourceTemplate) : Attribute
{
    /// <summary>The query parameter that carries the ticket.</summary>
    public const string QueryName = "ticket";

    /// <summary>The resource, e.g. <c>wizard-runs/projects/{projectId}/stream</c>.</summary>
    public string ResourceTemplate { get; } = resourceTemplate;

    /// <summary>The template with each <c>{name}</c> replaced by that route value.</summary>
    public static string Resolve(string template, RouteValueDictionary values) =>
        values.Aggregate(template, (resource, value) => resource.Replace($"{{{value.Key}}}", Convert.ToString(value.Value, System.Globalization.CultureInfo.InvariantCulture)));
}
