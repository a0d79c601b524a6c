using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Application.Access;
using Sessions.Application.Common.Idempotency;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Infrastructure.Idempotency;
using Sessions.Infrastructure.Persistence;
using Sessions.Infrastructure.Persistence.Repositories;
using Sessions.Infrastructure.Security;
using Sessions.Infrastructure.WizardSessions;
using Sessions.Infrastructure.WizardRuns;
using Sessions.Application.WizardRuns;
using Sessions.Application.Onboarding;
using Sessions.Infrastructure.Onboarding;
using Sessions.Application.WizardSessions;

namespace Sessions.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services)
    {
        // Read when first resolved, not now: hosts (and test hosts) may still add configuration.
        services.AddSingleton(provider => DatabaseOptions.From(provider.GetRequiredService<IConfiguration>()));

        // The factory serves short-lived contexts (migrations, idempotency records); requests get a scoped one.
        // Contexts are pooled: setting one up is a large share of a simple request's cost.
        services.AddPooledDbContextFactory<SessionsDbContext>((provider, options) =>
            provider.GetRequiredService<DatabaseOptions>().Configure(options));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<SessionsDbContext>>().CreateDbContext());

        services.AddScoped(typeof(IRepository<>), typeof(EfRepository<>));
        services.AddScoped(typeof(IReadRepository<>), typeof(EfRepository<>));
        services.AddScoped<IUnitOfWork, EfUnitOfWork>();
        services.AddScoped<IApiKeyReader, ApiKeyReader>();
        services.AddSingleton<IIdempotencyStore, EfIdempotencyStore>();
        services.AddSingleton(provider => IdempotencyFaults.From(provider.GetRequiredService<IConfiguration>()));
        services.AddHostedService<IdempotencyPurger>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<MigrationGate>();
        services.AddSingleton<IWizardCatalog>(_ => new JsonWizardCatalog(JsonWizardCatalog.DefaultFolder));

        // Streams hear of upserts made by any process sharing the database, through one table on every provider.
        services.AddSingleton<WizardRunSubscribers>();
        services.AddSingleton<DatabaseWizardRunFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<DatabaseWizardRunFeed>());
        services.AddSingleton<IWizardRunFeed>(provider => provider.GetRequiredService<DatabaseWizardRunFeed>());
        services.AddSingleton<IWizardRunStreamReads, SharedWizardRunReads>();
        services.AddSingleton<ISecretSealer, AesGcmSecretSealer>();
        services.AddSingleton<ProviderAddressPolicy>();
        services.AddSingleton<IProviderAddressPolicy>(provider => provider.GetRequiredService<ProviderAddressPolicy>());
        services.AddScoped<ITenantDirectory, TenantDirectory>();
        services.AddHttpClient(ProviderTask.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new System.Net.Http.SocketsHttpHandler
            {
                ConnectCallback = provider.GetRequiredService<ProviderAddressPolicy>().ConnectAsync,
                AllowAutoRedirect = false,
            });
        OnboardingTaskCatalog.Register(services);
        services.AddSingleton<OperationRunWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<OperationRunWorker>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
