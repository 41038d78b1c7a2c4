using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Remote;

/// <summary>
/// What a step executed on a worker answers: its stored outputs and its headline numbers
/// (<see cref="Runs.IPipelineStep.Summarize"/>), small enough for any workflow message.
/// </summary>
public sealed record StepResult(IReadOnlyList<ArtifactRef> Outputs, IReadOnlyDictionary<string, double> Metrics);
