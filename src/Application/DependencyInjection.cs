using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Application.Access;
using Sessions.Application.Common;
using Sessions.Application.Common.Behaviors;

namespace Sessions.Application;

public static class DependencyInjection
{
    /// <summary>
    /// MediatR 5 has no container integration: the mediator, every handler and the behaviors are
    /// registered here by hand. Behaviors wrap in registration order: tracing, logging, then
    /// validation, then the unit of work closest to the handler.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        var assembly = typeof(DependencyInjection).Assembly;

        services.AddScoped<ServiceFactory>(provider => provider.GetService!);
        services.AddScoped<IMediator, Mediator>();
        foreach (var (service, implementation) in HandlerRegistrations(assembly))
        {
            services.AddTransient(service, implementation);
        }

        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(TracingBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(UnitOfWorkBehavior<,>));

        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Transient);
        ValidatorOptions.Global.PropertyNameResolver = WireNames.ForValidation;

        services.AddAutoMapper(assembly);

        services.AddScoped<ApiKeyAuthenticator>();
        services.AddSingleton<RecentApiKeys>();
        services.AddSingleton<Common.Telemetry.SessionsMetrics>();
        services.AddScoped<WizardSessions.WizardSessionAccess>();
        services.AddScoped<WizardRuns.WizardRunAccess>();
        services.AddScoped<Common.Idempotency.IdempotentRequest>();
        services.AddScoped<WizardRuns.IWizardRunReader, WizardRuns.WizardRunReader>();
        services.AddScoped<CalculatorSessions.CalculatorAccess>();
        services.AddScoped<ConnectorSessions.ConnectorSessionAccess>();
        services.AddScoped<Onboarding.OnboardingAccess>();
        return services;
    }

    private static IEnumerable<(Type Service, Type Implementation)> HandlerRegistrations(System.Reflection.Assembly assembly) =>
        from type in assembly.GetTypes()
        where type is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
        from service in type.GetInterfaces()
        where service.IsGenericType
              && (service.GetGenericTypeDefinition() == typeof(IRequestHandler<,>)
                  || service.GetGenericTypeDefinition() == typeof(INotificationHandler<>))
        select (service, type);
}
