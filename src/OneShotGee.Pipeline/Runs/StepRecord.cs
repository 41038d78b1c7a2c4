using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Runs;

public enum StepStatus { Pending, Running, Completed, Failed }

/// <summary>One step of a run as the manifest records it: what it read, what it wrote, when, and how it ended.</summary>
public sealed record StepRecord(
    string Name,
    StepStatus Status,
    DateTimeOffset? Started = null,
    DateTimeOffset? Finished = null,
    IReadOnlyList<ArtifactRef>? Inputs = null,
    IReadOnlyList<ArtifactRef>? Outputs = null,
    string? Error = null,
    IReadOnlyDictionary<string, double>? Metrics = null)
{
    public double? Seconds => Started is { } s && Finished is { } f ? (f - s).TotalSeconds : null;
}
