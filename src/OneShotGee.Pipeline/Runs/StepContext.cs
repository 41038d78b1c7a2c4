using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Runs;

/// <summary>What a step sees: its own output folder, the artifacts available so far, and a progress sink.</summary>
public sealed class StepContext(string stepDirectory, IReadOnlyDictionary<string, ArtifactRef> artifacts, IProgress<string>? progress)
{
    public string StepDirectory { get; } = stepDirectory;
    public IProgress<string>? Progress { get; } = progress;

    public ArtifactRef Artifact(string name) => artifacts.TryGetValue(name, out var artifact)
        ? artifact
        : throw new InvalidInputException($"artifact '{name}' is not available; known: {string.Join(", ", artifacts.Keys)}");
}
