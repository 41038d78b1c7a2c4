using System.Text.Json;
using OneShotGee.Core.Telemetry;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;

namespace OneShotGee.Pipeline.Steps;

/// <summary>
/// Evaluates one model (the baseline or a trained variant) and writes <c>evaluation.json</c>, the
/// <see cref="ModelEvaluation"/> the report step puts side by side. With a <c>held-out</c> artifact, the paired
/// entropy gap is measured on those prompts. The model is recorded by its artifact name and ids, so the same run gives
/// the same file on any host.
/// </summary>
public sealed class EvaluateModelStep(string label, string modelArtifact, EvaluationOptions options, bool heldOut) : IPipelineStep
{
    public const string HeldOut = "held-out";
    public const string FileName = "evaluation.json";

    public string Name => "evaluate-" + label;
    public IReadOnlyList<string> Needs => heldOut ? [modelArtifact, HeldOut] : [modelArtifact];
    public static string OutputOf(string label) => "eval-" + label;

    /// <summary>Reads the paired gap's attribute (<see cref="EvaluationOptions.CheckPairedInputs"/>) before a run starts.</summary>
    public void CheckPairedInputs() => options.CheckPairedInputs(promptsComeLater: heldOut);

    public IReadOnlyList<ArtifactRef> Run(StepContext context, CancellationToken ct)
    {
        using var labels = RunLabels.PushVariant(label);
        var evaluation = ModelEvaluator.Evaluate(label, context.Artifact(modelArtifact).LocalPath,
            heldOut ? options with { PairedPrompts = context.Artifact(HeldOut).LocalPath } : options, context.Progress, ct,
            source: modelArtifact); // not the local directory, which differs between hosts
        var path = Path.Combine(context.StepDirectory, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(evaluation, ReportJson.Options));
        return [ArtifactRef.Of(OutputOf(label), path)];
    }

    /// <summary>The paired gap and entropy per group (<c>paired.*</c>) and every benchmark's metrics (<c>&lt;benchmark&gt;.&lt;metric&gt;</c>).</summary>
    public IReadOnlyDictionary<string, double> Summarize(IReadOnlyList<ArtifactRef> outputs)
    {
        var evaluation = Read(outputs.Single(o => o.Name == OutputOf(label)));
        var summary = evaluation.Benchmarks
            .SelectMany(b => b.Metrics.Select(m => ($"{b.Benchmark}.{m.Key}", m.Value)))
            .ToDictionary(m => m.Item1, m => m.Value);
        if (evaluation.Paired is { } paired)
        {
            summary["paired.gap"] = paired.Gap;
            foreach (var (group, entropy) in paired.GroupEntropies) summary[$"paired.h.{group}"] = entropy;
        }
        return summary;
    }

    public static ModelEvaluation Read(ArtifactRef artifact) =>
        JsonSerializer.Deserialize<ModelEvaluation>(File.ReadAllText(artifact.LocalPath), ReportJson.Options)
        ?? throw new InvalidDataException($"'{artifact.LocalPath}' holds no evaluation");
}
