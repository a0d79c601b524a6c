using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sessions.Application.Common.Telemetry;

namespace Sessions.Infrastructure.Persistence;

/// <summary>Ready means: the database answers and every migration is applied. The reason for 503 is stated.</summary>
public sealed class DatabaseReadyHealthCheck(DatabaseMigrator migrator, MigrationGate gate, SessionsMetrics metrics) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await CheckAsync(cancellationToken);
        metrics.DatabaseReadiness(result.Status == HealthStatus.Healthy);
        return result;
    }

    private async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        if (!gate.IsOpen)
        {
            return HealthCheckResult.Unhealthy(
                $"The database cannot be reached yet; the startup migrations are waiting for it ({gate.FailedAttempts} attempt(s) so far).");
        }

        try
        {
            return await migrator.IsReadyAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database has pending migrations.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable.");
        }
    }
}
