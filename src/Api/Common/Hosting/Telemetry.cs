using System.Diagnostics;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sessions.Application.Common.Telemetry;

namespace Sessions.Api.Common.Hosting;

/// <summary>
/// <c>Sessions:Telemetry</c> and <c>Sessions:Logging</c>: what the service tells its operators. Read
/// when the services are registered, from the host's configuration (environment, appsettings,
/// command line).
/// </summary>
public sealed record TelemetryOptions(Uri? OtlpEndpoint, bool Tracing, bool Prometheus, string? MetricsUrls)
{
    public const string MetricsPath = "/metrics";

    public static TelemetryOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Sessions:Telemetry");
        var endpoint = section["OtlpEndpoint"] is { Length: > 0 } own ? own : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var otlp = string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint, UriKind.Absolute);
        return new TelemetryOptions(
            otlp,
            section.GetValue<bool?>("Tracing") ?? otlp is not null,
            section.GetValue("Prometheus", true),
            section["MetricsUrls"] is { Length: > 0 } urls ? urls : null);
    }

    /// <summary>The ports of <see cref="MetricsUrls"/>: a request on one of them may only scrape <c>/metrics</c>.</summary>
    public IReadOnlySet<int> MetricsPorts => MetricsUrls is null
        ? new HashSet<int>()
        : MetricsUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => BindingAddress.Parse(url).Port).ToHashSet();
}

public static class Telemetry
{
    public static IServiceCollection AddSessionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = TelemetryOptions.From(configuration);
        services.AddSingleton(options);
        ConfigureLogs(services);

        var openTelemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("sessions"));
        if (options.Tracing)
        {
            // Spans are made only when something reads them: with no exporter there is no tracer provider,
            // and the request's trace id (problems, logs) comes from ASP.NET Core's own activity.
            services.AddSessionsTracing(tracing =>
            {
                if (options.OtlpEndpoint is { } endpoint)
                {
                    tracing.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }
            });
        }

        if (options.Prometheus || options.OtlpEndpoint is not null)
        {
            openTelemetry.WithMetrics(metrics =>
            {
                // Of ASP.NET Core's meters, the request duration (per route, method and status) and the
                // exceptions: what the dashboards and alerts read. The routing, Kestrel, rate-limiting and
                // authorization meters would each record on every request for figures nobody reads (the
                // service counts its own refusals), and together cost more than the request's query.
                metrics.AddMeter(SessionsTelemetry.Name)
                    .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Diagnostics", "System.Runtime")
                    .AddHttpClientInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (options.OtlpEndpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }
            });
        }

        return services;
    }

    /// <summary>
    /// The service's traces: requests (server spans named after their route), outgoing HTTP calls (the
    /// onboarding probes), database commands through EF Core, and the service's own spans around every
    /// command and query and every onboarding run attempt. <paramref name="export"/> adds the exporter.
    /// </summary>
    public static IServiceCollection AddSessionsTracing(this IServiceCollection services, Action<TracerProviderBuilder> export)
    {
        services.AddOpenTelemetry().WithTracing(tracing =>
        {
            tracing.AddSource(SessionsTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsOperational(context.Request.Path))
                .AddHttpClientInstrumentation()

                // Statement text is kept (it has placeholders only); parameter values are not recorded.
                .AddEntityFrameworkCoreInstrumentation();
            export(tracing);
        });
        return services;
    }

    /// <summary>
    /// Serves <c>/metrics</c> ahead of everything else (no key, no rate limit, no problem pages); with
    /// <c>Sessions:Telemetry:MetricsUrls</c>, only on those ports, which serve nothing else.
    /// </summary>
    public static WebApplication UseSessionsMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<TelemetryOptions>();
        if (!options.Prometheus)
        {
            return app;
        }

        var metricsPorts = options.MetricsPorts;
        if (metricsPorts.Count == 0)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(TelemetryOptions.MetricsPath);
            return app;
        }

        app.MapWhen(context => metricsPorts.Contains(context.Connection.LocalPort), metrics =>
        {
            metrics.UseOpenTelemetryPrometheusScrapingEndpoint(TelemetryOptions.MetricsPath);
            metrics.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }

    /// <summary>
    /// Adds <c>Sessions:Telemetry:MetricsUrls</c> to the addresses the server listens on, beside the
    /// service's own (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>, or Kestrel's default).
    /// </summary>
    public static void ListenForMetrics(this ConfigureWebHostBuilder webHost, IConfiguration configuration)
    {
        if (TelemetryOptions.From(configuration).MetricsUrls is not { } metricsUrls)
        {
            return;
        }

        var serviceUrls = configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls
            ? urls
            : configuration["HTTP_PORTS"] is { Length: > 0 } ports
                ? string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(port => $"http://*:{port.Trim()}"))
                : "http://localhost:5000";
        webHost.UseUrls($"{serviceUrls};{metricsUrls}");
    }

    /// <summary>Health probes and scrapes are not traced: they would drown the requests worth reading.</summary>
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(TelemetryOptions.MetricsPath);

    /// <summary>
    /// <c>Sessions:Logging:Format=json</c> (or the standard <c>Logging:Console:FormatterName=json</c>):
    /// one JSON object per line, its scopes carrying the request's <c>TraceId</c> and <c>SpanId</c>.
    /// An unhealthy readiness check is a state the probe's 503 reports with its reason, not an error
    /// to log on every probe: the health check service's own error lines are left out.
    /// </summary>
    private static void ConfigureLogs(IServiceCollection services)
    {
        services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical));
        services.AddOptions<ConsoleLoggerOptions>().Configure<IConfiguration>((console, configuration) =>
        {
            if (string.Equals(configuration["Sessions:Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
            {
                console.FormatterName = ConsoleFormatterNames.Json;
            }
        });
        services.Configure<JsonConsoleFormatterOptions>(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        services.Configure<LoggerFactoryOptions>(factory =>
            factory.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
    }

    /// <summary>The W3C trace id of the request's span (the one an incoming <c>traceparent</c> continues).</summary>
    public static string? TraceId(HttpContext context) =>
        (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>()?.Activity ?? Activity.Current) is { } activity
        && activity.IdFormat == ActivityIdFormat.W3C
            ? activity.TraceId.ToHexString()
            : null;
}
