using Microsoft.Extensions.Configuration;

namespace Sessions.Infrastructure.Idempotency;

/// <summary>
/// A fault seam for the reliability tests: with <c>Sessions:Testing:KillAfterIdempotentCommit</c> set
/// (only the tests set it), the process kills itself right after an idempotent command and its stored
/// response have committed and before the response is sent, the moment a crash is most costly.
/// Otherwise it does nothing.
/// </summary>
internal sealed class IdempotencyFaults(bool killAfterCommit)
{
    public const string KillAfterCommitSetting = "Sessions:Testing:KillAfterIdempotentCommit";

    public static IdempotencyFaults From(IConfiguration configuration) => new(configuration.GetValue<bool>(KillAfterCommitSetting));

    public void AfterIdempotentCommit()
    {
        if (killAfterCommit)
        {
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }
    }
}
