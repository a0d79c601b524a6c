using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Sessions.Application.WizardRuns;
using Sessions.Application.WizardRuns.Queries;

namespace Sessions.Api.WizardRuns;

/// <summary>A run's frame: which run it shows and the bytes of its <c>data:</c> event.</summary>
public sealed record RunFrame(string SessionId, byte[] Bytes);

/// <summary>
/// The <c>data:</c> frames of runs from the shared reads of <see cref="IWizardRunStreamReads"/>: every
/// stream showing a change gets the same read run, serialized once for all of them.
/// </summary>
public sealed class WizardRunFrames(IWizardRunStreamReads reads, IOptions<Microsoft.AspNetCore.Mvc.JsonOptions> json)
{
    /// <summary>Each shared run's frame, kept as long as the run itself.</summary>
    private readonly ConditionalWeakTable<WizardRunDto, RunFrame> _frames = [];

    /// <summary>
    /// A run's contract as MVC writes it (the service's JSON, so the compile-time metadata), resolved once:
    /// a frame's JSON is the run's GET body.
    /// </summary>
    private readonly JsonTypeInfo<WizardRunDto> _run = (JsonTypeInfo<WizardRunDto>)json.Value.JsonSerializerOptions.GetTypeInfo(typeof(WizardRunDto));

    private static RunFrame Frame(WizardRunDto run, JsonTypeInfo<WizardRunDto> contract) =>
        new(run.SessionId, Encoding.UTF8.GetBytes($"data: {JsonSerializer.Serialize(run, contract)}\n\n"));

    /// <inheritdoc cref="IWizardRunStreamReads.GetAsync"/>
    public async Task<RunFrame> GetAsync(int projectId, string sessionId, long delivery) =>
        FrameOf(await reads.GetAsync(projectId, sessionId, delivery));

    /// <inheritdoc cref="IWizardRunStreamReads.GetLatestAsync"/>
    public async Task<RunFrame?> GetLatestAsync(int projectId, string workflowId, string? skillId, long subscribedAt) =>
        await reads.GetLatestAsync(projectId, workflowId, skillId, subscribedAt) is { } run ? FrameOf(run) : null;

    private RunFrame FrameOf(WizardRunDto run) => _frames.GetValue(run, shared => Frame(shared, _run));
}
