namespace Sessions.Api.IntegrationTests.Reliability;

/// <summary>
/// Tests that judge a whole process by what it does over minutes (the soak's memory slope, the failover's
/// losses under load) run one at a time, after the tests that run in parallel: on a shared machine the others
/// would starve them of CPU and blur their figures, and their own processes would slow the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "runs alone";
}
