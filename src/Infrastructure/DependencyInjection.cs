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
    /// <summary>Stands in for a background service that a provider does not need.</summary>
    private sealed class IdleService : Microsoft.Extensions.Hosting.BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }

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
        services.AddScoped<IUnitOfWork, EfUnitOfWork>();
        services.AddScoped<IApiKeyReader, ApiKeyReader>();
        services.AddSingleton<IIdempotencyStore, EfIdempotencyStore>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<MigrationGate>();
        services.AddSingleton<IWizardCatalog>(_ => new JsonWizardCatalog(JsonWizardCatalog.DefaultFolder));

        // Streams in other processes only hear of upserts through PostgreSQL; otherwise one process is the whole world.
        services.AddSingleton<WizardRunSubscribers>();
        services.AddSingleton<InProcessWizardRunFeed>();
        services.AddSingleton<PostgresWizardRunFeed>();
        services.AddHostedService<Microsoft.Extensions.Hosting.BackgroundService>(provider => provider.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Postgres
            ? provider.GetRequiredService<PostgresWizardRunFeed>()
            : new IdleService());
        services.AddSingleton<IWizardRunFeed>(provider => provider.GetRequiredService<DatabaseOptions>().Provider == DatabaseProvider.Postgres
            ? provider.GetRequiredService<PostgresWizardRunFeed>()
            : provider.GetRequiredService<InProcessWizardRunFeed>());
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
