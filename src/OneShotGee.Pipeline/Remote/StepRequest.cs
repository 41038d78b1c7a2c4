using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Remote;

/// <summary>
/// One step of a run for another host to execute: the run config (a few KiB), the step's name in its plan and the
/// references of the artifacts the step needs. References only, never payloads, so a message stays far below the
/// Dapr sidecar's 4 MiB body limit.
/// </summary>
public sealed record StepRequest(string RunId, string ConfigJson, string Step, IReadOnlyList<ArtifactRef> Inputs);
