using System.Diagnostics;

namespace OneShotGee.Core.Telemetry;

/// <summary>
/// Which run, base model and variant the measurements of the current (async) flow belong to. The pipeline sets them
/// around a step (<see cref="Push"/>), and the meters of data prep, training and evaluation add them as the
/// <c>run_id</c>, <c>model</c> and <c>variant</c> labels, so the libraries need no telemetry options of their own.
/// Outside a run (the CLI's single commands) there are none and those labels are left off.
/// </summary>
/// <param name="Model">A short model name (<see cref="ModelName"/>), never a full path: labels must stay few and stable.</param>
/// <param name="Variant">The trained variant (e.g. <c>em</c>, <c>gee</c>) or <c>baseline</c> for the untrained model.</param>
public sealed record RunLabels(string RunId, string? Model = null, string? Variant = null)
{
    static readonly AsyncLocal<RunLabels?> CurrentLabels = new();

    public static RunLabels? Current => CurrentLabels.Value;

    /// <summary>Makes <paramref name="labels"/> current until the returned scope is disposed.</summary>
    public static IDisposable Push(RunLabels labels)
    {
        var scope = new Scope(CurrentLabels.Value);
        CurrentLabels.Value = labels;
        return scope;
    }

    /// <summary>The current labels with <paramref name="variant"/>; a flow outside any run stays without labels.</summary>
    public static IDisposable PushVariant(string variant) =>
        Current is { } current ? Push(current with { Variant = variant }) : new Scope(null);

    /// <summary>"demo", a Hugging Face id, or a model directory's last segment.</summary>
    public static string ModelName(string modelPathOrId) => Path.GetFileName(modelPathOrId.TrimEnd('/', '\\')) is { Length: > 0 } name ? name : modelPathOrId;

    /// <summary>The current labels that are set, as tags to add measurement-specific ones to.</summary>
    public static TagList CurrentTags()
    {
        var tags = new TagList();
        if (Current is not { } labels) return tags;
        tags.Add("run_id", labels.RunId);
        if (labels.Model is { } model) tags.Add("model", model);
        if (labels.Variant is { } variant) tags.Add("variant", variant);
        return tags;
    }

    sealed class Scope(RunLabels? previous) : IDisposable
    {
        public void Dispose() => CurrentLabels.Value = previous;
    }
}
