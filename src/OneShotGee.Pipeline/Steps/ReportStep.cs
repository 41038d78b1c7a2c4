using OneShotGee.Data;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;

namespace OneShotGee.Pipeline.Steps;

/// <summary>
/// The side-by-side report (report.json, report.md, plots) of the baseline and every variant, with training curves and
/// the overlap of the paired prompts measured (the held-out set, else the evaluation's paired prompt file, else the
/// built-in templates of its attribute) with the training data.
/// </summary>
public sealed class ReportStep(IReadOnlyList<string> variants, long seed, bool heldOut, string? pairedPrompts, string? attribute) : IPipelineStep
{
    public const string Baseline = "baseline", Output = "report";

    public string Name => "report";
    public IReadOnlyList<string> Needs =>
        [EvaluateModelStep.OutputOf(Baseline), .. variants.Select(EvaluateModelStep.OutputOf), .. variants.Select(v => "metrics-" + v),
         TrainModelStep.TrainData, .. heldOut ? [EvaluateModelStep.HeldOut] : Array.Empty<string>()];

    public IReadOnlyList<ArtifactRef> Run(StepContext context, CancellationToken ct)
    {
        var models = new[] { Baseline }.Concat(variants)
            .Select(label => EvaluateModelStep.Read(context.Artifact(EvaluateModelStep.OutputOf(label)))).ToList();
        var training = variants.Select(v => TrainingRun.Read(v, context.Artifact("metrics-" + v).LocalPath)).ToList();
        var datasets = models.SelectMany(m => m.Benchmarks).DistinctBy(b => b.Benchmark).ToDictionary(b => b.Benchmark, b => b.DatasetSha256);
        var report = EvaluationReport.Create(models, Baseline, new Dictionary<string, long> { ["seed"] = seed }, datasets, training)
            with { PairedPromptOverlap = PairedPromptOverlap(context) };
        ReportWriter.Write(context.StepDirectory, report);
        return [ArtifactRef.Of(Output, context.StepDirectory)];
    }

    int PairedPromptOverlap(StepContext context) => PairedPromptOverlap(
        context.Artifact(TrainModelStep.TrainData).LocalPath, heldOut ? context.Artifact(EvaluateModelStep.HeldOut).LocalPath : null, pairedPrompts, attribute);

    /// <summary>Distinct prompts of the paired set the evaluations measured that the prepared training data also holds.</summary>
    /// <param name="attribute">The evaluation's attribute, whose built-in templates are measured when no file is.</param>
    public static int PairedPromptOverlap(string trainingDataset, string? heldOutDataset, string? pairedPromptsFile, string? attribute = null)
    {
        if (heldOutDataset is not null) return PrepareHeldOutStep.Overlap(heldOutDataset, trainingDataset);
        var measured = AttributePrompts.Read(pairedPromptsFile, attribute);
        return PromptOverlap.Count(measured.Pairs.SelectMany(p => p.Texts), PreparedDataset.Read(trainingDataset).Rows.Select(r => r.Text));
    }

    /// <summary>Per model: the paired gap, and for each variant its gap reduction, perplexity change and (when measured) task accuracy and gendered perplexity change against the baseline.</summary>
    public IReadOnlyDictionary<string, double> Summarize(IReadOnlyList<ArtifactRef> outputs)
    {
        var report = ReportJson.Read(Path.Combine(outputs.Single(o => o.Name == Output).LocalPath, ReportWriter.JsonFile));
        var summary = new Dictionary<string, double>();
        foreach (var row in RunSummary.From(report))
        {
            summary[$"{row.Model}.gap"] = row.Gap;
            if (row.GapReduction is { } reduction) summary[$"{row.Model}.gap_reduction"] = reduction;
            if (row.PerplexityChange is { } change) summary[$"{row.Model}.perplexity_change"] = change;
            if (row.TaskAccuracyChange is { } accuracy) summary[$"{row.Model}.task_accuracy_change"] = accuracy;
            if (row.GenderedPerplexityChange is { } gendered) summary[$"{row.Model}.gendered_perplexity_change"] = gendered;
        }
        return summary;
    }
}
