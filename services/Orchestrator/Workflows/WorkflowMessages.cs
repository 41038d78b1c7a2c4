using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Orchestrator.Workflows;

// Everything the workflow passes is small: the run config (a few KiB) and artifact references, never payloads,
// so each dispatch stays far below the sidecar's 4 MiB body limit.

/// <summary>The workflow's input; <see cref="RunId"/> is also its instance id.</summary>
public sealed record GeeRunInput(string RunId, string ConfigJson);

/// <summary>One pipeline step to execute: its name in the plan of <see cref="ConfigJson"/> and the artifacts it needs.</summary>
public sealed record StepInput(string RunId, string ConfigJson, string Step, IReadOnlyList<ArtifactRef> Inputs);

/// <summary>The finished run: every artifact by the time the report was written.</summary>
public sealed record GeeRunResult(string RunId, IReadOnlyList<ArtifactRef> Artifacts);
