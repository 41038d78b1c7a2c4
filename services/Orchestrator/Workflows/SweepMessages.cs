using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>The sweep workflow's input: one child run per point, already expanded (<see cref="Sweeps.SweepPlan"/>).</summary>
public sealed record GeeSweepInput(string SweepId, IReadOnlyList<GeeRunInput> Runs, int MaxParallel);

/// <summary>One child run's outcome: its artifacts, or the error that failed it.</summary>
public sealed record SweepRunResult(string RunId, bool Succeeded, IReadOnlyList<ArtifactRef> Artifacts, string? Error);

/// <summary>Every child run's outcome, in the order of the sweep's points.</summary>
public sealed record GeeSweepResult(string SweepId, IReadOnlyList<SweepRunResult> Runs);
