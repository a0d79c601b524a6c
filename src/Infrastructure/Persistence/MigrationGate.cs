namespace Sessions.Infrastructure.Persistence;

/// <summary>
/// Whether the startup migrations have been applied. The host starts before its database answers;
/// until the schema is in place the API answers 503 <c>database_unavailable</c>, readiness says why,
/// and the background work that reads the database waits here.
/// </summary>
public sealed class MigrationGate
{
    private readonly TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failedAttempts;

    public MigrationGate(DatabaseOptions options)
    {
        if (!options.MigrateOnStartup)
        {
            // Migrations are someone else's job (the migrate verb); readiness still checks for pending ones.
            _applied.TrySetResult();
        }
    }

    public bool IsOpen => _applied.Task.IsCompleted;

    /// <summary>Completes once the schema is migrated.</summary>
    public Task Opened => _applied.Task;

    /// <summary>How many startup attempts have failed to reach the database so far.</summary>
    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    public void Open() => _applied.TrySetResult();

    public int AttemptFailed() => Interlocked.Increment(ref _failedAttempts);

    /// <summary>Throws the exception the API answers with 503 while the gate is still closed.</summary>
    public void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw new DatabaseNotMigratedException();
        }
    }
}
