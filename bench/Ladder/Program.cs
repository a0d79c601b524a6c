using System.Reflection;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Api.Common.Auth;
using Sessions.Api.Common.Hosting;
using Sessions.Api.Common.Http;
using Sessions.Application;
using Sessions.Application.Access;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardSessions;
using Sessions.Bench;
using Sessions.Infrastructure;

namespace Sessions.Bench.Ladder;

/// <summary>
/// One rung of the ladder per process (<c>--Ladder:Rung=mvc|auth|mediatr|ef</c>): each rung is the one below it
/// plus one of the service's layers, registered by the service's own code, so the difference between two
/// rungs' rates is that layer's cost per request.
/// </summary>
public static class LadderApp
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var rung = Enum.Parse<Rung>(builder.Configuration["Ladder:Rung"]
                                    ?? throw new InvalidOperationException("Ladder:Rung is required: mvc, auth, mediatr or ef."), ignoreCase: true);
        var services = builder.Services;
        services.AddSingleton(new Store(
            builder.Configuration["Sessions:Database:Provider"] ?? "sqlite",
            builder.Configuration.GetConnectionString("Sessions") ?? throw new InvalidOperationException("ConnectionStrings:Sessions is required.")));
        services.AddSingleton(Wizard.Load(builder.Configuration["Floor:WizardDefinition"]
            ?? Path.Combine(AppContext.BaseDirectory, "WizardSessions", "Definitions", "onboarding-wizard-v3.json")));
        services.AddSingleton<KeyCache>();

        // Only this rung's controller: the service's own controllers (Sessions.Api is referenced) stay out.
        services.AddSessionsControllers().ConfigureApplicationPartManager(parts =>
        {
            parts.FeatureProviders.Remove(parts.FeatureProviders.OfType<ControllerFeatureProvider>().Single());
            parts.FeatureProviders.Add(new OnlyController(ControllerOf(rung)));
        });

        if (rung >= Rung.Auth)
        {
            AddServiceAccess(services);
        }

        if (rung == Rung.Mediatr)
        {
            services.AddTransient<MediatR.IRequestHandler<FloorWizardSessionQuery, Sessions.Application.WizardSessions.Queries.WizardSessionDto>,
                FloorWizardSessionQueryHandler>();
        }

        var app = builder.Build();
        if (rung >= Rung.Auth)
        {
            app.UseRouting();
            app.UseApiKeyAccess();
        }

        app.MapControllers();
        app.Run();
    }

    /// <summary>
    /// The service's application and infrastructure (the authenticator reads keys through them; MediatR, AutoMapper and
    /// EF Core for the upper rungs), its caller and its authentication, rate limit and scope policies. The service's
    /// background workers are left out: they are not a layer of a request, and the last step (to the service) counts them.
    /// </summary>
    private static void AddServiceAccess(IServiceCollection services)
    {
        services.AddSingleton(provider => ApiOptions.From(provider.GetRequiredService<IConfiguration>()));
        services.AddApplication();
        var before = services.Count;
        services.AddInfrastructure();
        foreach (var worker in services.Skip(before).Where(d => d.ServiceType == typeof(IHostedService)).ToList())
        {
            services.Remove(worker);
        }

        services.AddOptions<ApiKeyCacheOptions>().BindConfiguration("Sessions:Api:KeyCache");
        services.AddOptions<WizardSessionsOptions>().BindConfiguration("Sessions:WizardSessions");
        services.AddHttpContextAccessor();
        services.TryAddScoped<ICaller, HttpCaller>();
        services.AddProblemDetails();
        services.AddApiKeyAccess();
    }

    private static Type ControllerOf(Rung rung) => rung switch
    {
        Rung.Mvc => typeof(MvcRungController),
        Rung.Auth => typeof(AuthRungController),
        Rung.Mediatr => typeof(MediatrRungController),
        Rung.Ef => typeof(EfRungController),
        _ => throw new ArgumentOutOfRangeException(nameof(rung), rung, null),
    };

    private sealed class OnlyController(Type controller) : ControllerFeatureProvider
    {
        protected override bool IsController(TypeInfo typeInfo) => typeInfo.AsType() == controller;
    }
}

/// <summary>In the order they stack: each adds one layer to the one before.</summary>
public enum Rung
{
    Mvc,
    Auth,
    Mediatr,
    Ef,
}
