using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sessions.Application.Access;
using Sessions.Application.Common.Idempotency;
using Sessions.Application.Common.Persistence;
using Sessions.Infrastructure.Idempotency;
using Sessions.Infrastructure.Persistence;
using Sessions.Infrastructure.Persistence.Repositories;
using Sessions.Infrastructure.WizardSessions;
using Sessions.Application.WizardSessions;

namespace Sessions.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services)
    {
        // Read when first resolved, not now: hosts (and test hosts) may still add configuration.
        services.AddSingleton(provider => DatabaseOptions.From(provider.GetRequiredService<IConfiguration>()));

        // The factory serves short-lived contexts (migrations, idempotency records); requests get a scoped one.
        services.AddDbContextFactory<SessionsDbContext>((provider, options) =>
            provider.GetRequiredService<DatabaseOptions>().Configure(options));
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<SessionsDbContext>>().CreateDbContext());

        services.AddScoped(typeof(IRepository<>), typeof(EfRepository<>));
        services.AddScoped<IUnitOfWork, EfUnitOfWork>();
        services.AddScoped<IApiKeyReader, ApiKeyReader>();
        services.AddSingleton<IIdempotencyStore, EfIdempotencyStore>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<IWizardCatalog>(_ => new JsonWizardCatalog(JsonWizardCatalog.DefaultFolder));
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
