namespace Sessions.Api.Common.Auth;

/// <summary>
/// Two framework log lines carry raw request values: the host's request lines ("Request starting GET …?ticket=…",
/// Information), where a browser's stream ticket travels in the query because an EventSource cannot send a
/// header; and MVC's action-argument lines (Trace), which print every argument, request bodies with provider
/// secrets and the ticket included. Both are kept out of every logging provider whatever the configuration
/// asks, so no ticket or secret reaches a log; the service's own lines name the path only. A floor only ever
/// raises a category's level: where the configuration already asks for less (Warning by default in
/// production), it stays as configured.
/// </summary>
public static class SecretsOutOfLogs
{
    private static readonly (string Category, LogLevel From)[] Floors =
    [
        ("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning),
        ("Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker", LogLevel.Debug),
    ];

    public static IServiceCollection KeepSecretsOutOfLogs(this IServiceCollection services) =>
        services.PostConfigure<LoggerFilterOptions>(filters =>
        {
            // A rule naming a provider wins over every rule that names none, so each provider named by any
            // rule gets its own; added last, each wins over a configured rule for the same category.
            foreach (var provider in filters.Rules.Select(rule => rule.ProviderName).Append(null).Distinct().ToList())
            {
                foreach (var (category, from) in Floors)
                {
                    var level = (LogLevel)Math.Max((int)from, (int)Configured(filters, provider, category));
                    filters.Rules.Add(new LoggerFilterRule(provider, category, level, filter: null));
                }
            }
        });

    /// <summary>
    /// The level the configuration gives a category for a provider, chosen as the logging filter chooses:
    /// a rule for the provider before one for every provider, then the longest category prefix.
    /// </summary>
    private static LogLevel Configured(LoggerFilterOptions filters, string? provider, string category) =>
        filters.Rules
            .Where(rule => rule.LogLevel is not null
                           && (rule.ProviderName is null || rule.ProviderName == provider)
                           && (rule.CategoryName is null || category.StartsWith(rule.CategoryName, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(rule => rule.ProviderName is not null)
            .ThenByDescending(rule => rule.CategoryName?.Length ?? 0)
            .Select(rule => rule.LogLevel!.Value)
            .DefaultIfEmpty(filters.MinLevel)
            .First();
}
