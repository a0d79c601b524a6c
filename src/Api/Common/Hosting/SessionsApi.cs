using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Sessions.Api.Common.Auth;
using Sessions.Api.Common.Errors;
using Sessions.Api.Common.Http;
using Sessions.Api.Common.Json;
using Sessions.Api.Common.OpenApi;
using Sessions.Application;
using Sessions.Application.Access;
using Sessions.Application.Common.Idempotency;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardRuns;
using Sessions.Application.WizardSessions;
using Sessions.Domain.Access;
using Sessions.Infrastructure;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.Common.Hosting;

/// <summary>The service's composition: what is registered, and in which order requests pass through.</summary>
public static class SessionsApi
{
    private const string MvcProblemDetailsWriter = "Microsoft.AspNetCore.Mvc.Infrastructure.DefaultApiProblemDetailsWriter";

    public static IServiceCollection AddSessionsApi(this IServiceCollection services, IConfiguration configuration)
    {
        // Options are read when first resolved, so configuration added after this call still counts.
        services.AddSingleton(provider => ApiOptions.From(provider.GetRequiredService<IConfiguration>()));
        services.AddApplication();
        services.AddInfrastructure();
        services.AddOptions<ApiKeyCacheOptions>().BindConfiguration("Sessions:Api:KeyCache");
        services.AddOptions<IdempotencyOptions>().BindConfiguration("Sessions:Api:Idempotency");
        services.AddOptions<WizardSessionsOptions>().BindConfiguration("Sessions:WizardSessions");
        services.AddOptions<WizardRunsOptions>().BindConfiguration("Sessions:WizardRuns");
        services.AddOptions<Sessions.Application.Onboarding.OnboardingOptions>().BindConfiguration("Sessions:Onboarding");
        services.AddSingleton<Sessions.Api.WizardRuns.WizardRunStreams>();
        services.AddSingleton<Sessions.Api.WizardRuns.WizardRunFrames>();
        services.AddSingleton<StreamKeyWatch>();
        services.AddHostedService(provider => provider.GetRequiredService<StreamKeyWatch>());

        services.AddHttpContextAccessor();
        services.AddScoped<ICaller, HttpCaller>();
        services.AddSessionsControllers();
        services.ConfigureHttpJsonOptions(json => WireJson.Configure(json.SerializerOptions));

        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            Problems.Bound(context.ProblemDetails);
            Problems.Trace(context.ProblemDetails, Telemetry.TraceId(context.HttpContext));
        });

        // MVC's problem writer rebuilds every problem as a plain ProblemDetails (dropping the
        // "errors" of a validation problem) and negotiates its content type. The framework's
        // general writer keeps the problem as given and always answers application/problem+json.
        foreach (var mvcWriter in services.Where(descriptor => descriptor.ServiceType == typeof(IProblemDetailsWriter)
                                                               && descriptor.ImplementationType?.FullName == MvcProblemDetailsWriter).ToList())
        {
            services.Remove(mvcWriter);
        }

        ProblemJsonWhateverTheAccept.Decorate(services);
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();

        services.AddApiKeyAccess();
        services.AddOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>().Configure<ApiOptions>((forwarded, api) =>
        {
            forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                                         | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto
                                         | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost;

            // Only the configured proxies: not even loopback is trusted by default.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in api.KnownProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
        });
        services.AddCrossOrigin();
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<ApiOptions>(ConnectionLimits.Apply);

        services.AddHealthChecks().AddCheck<DatabaseReadyHealthCheck>("database", tags: ["ready"]);
        services.AddSessionsOpenApi();
        services.AddSingleton<StartupTasks>();
        services.AddHostedService(provider => provider.GetRequiredService<StartupTasks>());
        services.AddSessionsTelemetry(configuration);
        services.KeepSecretsOutOfLogs();
        return services;
    }

    public static WebApplication UseSessionsApi(this WebApplication app)
    {
        var api = app.Services.GetRequiredService<ApiOptions>();
        if (api.KnownProxies.Length > 0)
        {
            // First: everything after sees the public scheme and host and the real client. Without known proxies the
            // middleware is left out, since it would believe the headers of a connection without an address.
            app.UseForwardedHeaders();
        }

        app.UseSessionsMetrics();
        app.UseHeadWithoutBody(); // outermost: refusals written further in have no body either
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<TrailingSlashMiddleware>();
        if (api.Docs)
        {
            app.UseSessionsOpenApi();
        }

        app.UseRouting();

        // Before authentication: a preflight carries no key and is answered here.
        app.UseCors();
        app.UseDatabaseGate();
        app.UseApiKeyAccess();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseMiddleware<WellFormedJsonMiddleware>();
        app.UseMiddleware<NulCharacterMiddleware>();

        app.MapControllers();
        // Health is never rate limited: behind a proxy every anonymous client shares one address, and a
        // load balancer whose probes met that bucket's 429 would take a healthy instance out.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains("ready"),
                ResponseWriter = HealthReports.WriteWithReasonsAsync,
            })
            .AllowAnonymous().DisableRateLimiting();
        return app;
    }

    /// <summary>
    /// MVC as the service configures it: the ETag filter, binding without MVC's own validation, wire names in
    /// binding errors, and the service's JSON (<see cref="WireJson"/>). Public so the benchmark's ladder
    /// (bench/Ladder) measures the service's own MVC set-up rather than a copy of it.
    /// </summary>
    public static IMvcBuilder AddSessionsControllers(this IServiceCollection services)
    {
        var controllers = services.AddControllers(mvc =>
            {
                mvc.Filters.Add<ETagResultFilter>();

                // Input rules live in the application's validators; MVC only reports what cannot be bound.
                // The wire types' [MaxLength]/[Range] attributes describe those rules in the OpenAPI
                // document (a test holds the two together) and are not checked a second time here.
                mvc.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                mvc.ModelValidatorProviders.Clear();

                // Binding and validation errors name fields as they are on the wire (wizard_id, not WizardId).
                mvc.ModelMetadataDetailsProviders.Add(new Microsoft.AspNetCore.Mvc.ModelBinding.Metadata.SystemTextJsonValidationMetadataProvider());
                mvc.Conventions.Add(new StandardResponsesConvention());
                mvc.Conventions.Add(new HeadLikeGetConvention());
            })
            .AddJsonOptions(json => WireJson.Configure(json.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(behavior =>
            {
                behavior.InvalidModelStateResponseFactory = Problems.InvalidModelState;

                // Bare client errors (415, 405...) get their body from the status-code-pages middleware,
                // which writes problem+json; MVC's own mapping would negotiate plain JSON instead.
                behavior.SuppressMapClientErrors = true;
            });
        services.ConfigureOptions<WireJsonInputFormatterSetup>();
        return controllers;
    }

    /// <summary>
    /// Who may call what: the API key scheme, a policy per scope (every endpoint needs a key unless it allows
    /// anonymous callers) and the per-key rate limit. Used with <see cref="UseApiKeyAccess"/>.
    /// </summary>
    public static IServiceCollection AddApiKeyAccess(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(authorization =>
        {
            foreach (var scope in Scopes.All)
            {
                authorization.AddPolicy(scope, policy => policy.RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope));
            }

            authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
        services.AddPerKeyRateLimiting();
        return services;
    }

    /// <summary>The key is proven, then its bucket is taken (and reported), then the endpoint's scope policy is checked.</summary>
    public static IApplicationBuilder UseApiKeyAccess(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseRateLimitHeaders();
        app.UseAuthorization();
        return app;
    }
}
