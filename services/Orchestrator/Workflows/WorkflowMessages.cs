using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Orchestrator.Workflows;

// Everything the workflow passes is small: the run config (a few KiB) and artifact references, never payloads,
// so each dispatch stays far below the sidecar's 4 MiB body limit. Steps travel as Pipeline.Remote.StepRequest.

/// <summary>
/// The workflow's input; <see cref="RunId"/> is also its instance id. <see cref="Retries"/>: the step retry policies
/// (<c>Runs:StepRetries</c>) the scheduler put in, so replays see the same ones; null: the defaults.
/// <see cref="MaxParallelVariants"/>: how many variants train and evaluate at once (<c>Runs:MaxParallelVariants</c>,
/// put in the same way); null: 1, one after the other.
/// </summary>
public sealed record GeeRunInput(string RunId, string ConfigJson, StepRetries? Retries = null, int? MaxParallelVariants = null);

/// <summary>The finished run: every artifact by the time the report was written.</summary>
public sealed record GeeRunResult(string RunId, IReadOnlyList<ArtifactRef> Artifacts);

public enum StageEvent { Started, Completed, Failed }

/// <summary>
/// A change of the run record: a stage (<c>start</c> or a step) started, completed with outputs, or failed.
/// <see cref="Running"/>: when variants run in parallel, the steps in flight once this change applies, which the
/// record shows as its stage; null: the stage is the step that started (and stays when it completes).
/// </summary>
public sealed record RunUpdate(
    string RunId, string Stage, StageEvent Event, IReadOnlyList<ArtifactRef>? Outputs = null, string? Error = null,
    IReadOnlyDictionary<string, double>? Metrics = null, IReadOnlyList<string>? Running = null);

/// <summary>Published to <c>gee-run-completed</c> when a run ends; <see cref="Status"/> is <c>completed</c> or <c>failed</c>.</summary>
public sealed record RunCompletedEvent(string RunId, string Status, IReadOnlyList<ArtifactRef> Artifacts, string? Error = null)
{
    public const string Completed = "completed", Failed = "failed";
}
