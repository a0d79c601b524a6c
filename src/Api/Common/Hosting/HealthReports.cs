using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sessions.Api.Common.Hosting;

/// <summary>Health answers in plain text: <c>Healthy</c>, or the status followed by the reason of each failing check.</summary>
public static class HealthReports
{
    public static Task WriteWithReasonsAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(entry => entry.Value.Status != HealthStatus.Healthy))
        {
            text.Append('\n').Append(name).Append(": ").Append(entry.Description ?? entry.Status.ToString());
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }
}
