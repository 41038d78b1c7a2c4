using System.Text.Json;
using OneShotGee.Core.Telemetry;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Training;

namespace OneShotGee.Pipeline.Steps;

/// <summary>
/// GEE training of one variant (e.g. EM only, GEE L2). Safe to retry: when its folder already holds a complete
/// checkpoint it resumes from the latest one, so a retried step continues instead of starting over (the trainer
/// removes a save cut off by a kill).
/// Outputs <c>model-&lt;variant&gt;</c> (the final model; with LoRA the merged one, computed and stored in float32
/// unless <c>merge_dtype</c> says otherwise, so the evaluated model keeps the update) and <c>metrics-&lt;variant&gt;</c>.
/// </summary>
public sealed class TrainModelStep(string variant, TrainOptions options) : IPipelineStep
{
    public const string BaseModel = "base-model", TrainData = "train-data";

    public string Name => "train-" + variant;
    public IReadOnlyList<string> Needs => [BaseModel, TrainData];

    public IReadOnlyList<ArtifactRef> Run(StepContext context, CancellationToken ct)
    {
        using var labels = RunLabels.PushVariant(variant);
        var hasCheckpoint = TrainingCheckpoint.Latest(context.StepDirectory) is not null;
        var run = options with
        {
            ModelPath = context.Artifact(BaseModel).LocalPath,
            DataPath = context.Artifact(TrainData).LocalPath,
            OutputPath = context.StepDirectory,
            Resume = hasCheckpoint ? "latest" : null,
        };
        using var trainer = GeeTrainer.Create(run, ct);
        var final = trainer.Run(new Progress(context.Progress, variant), ct);
        var model = run.Lora is null ? final : Path.Combine(context.StepDirectory, GeeTrainer.MergedDirectory);
        return
        [
            ArtifactRef.Of("model-" + variant, model),
            ArtifactRef.Of("metrics-" + variant, Path.Combine(context.StepDirectory, GeeTrainer.MetricsFile)),
        ];
    }

    /// <summary>The last optimizer step's metrics line: every number in it, per group entropies as <c>h_g.&lt;group&gt;</c>.</summary>
    public IReadOnlyDictionary<string, double> Summarize(IReadOnlyList<ArtifactRef> outputs)
    {
        var metrics = outputs.Single(o => o.Name == "metrics-" + variant).LocalPath;
        var last = File.ReadLines(metrics).LastOrDefault(line => line.Length > 0);
        var summary = new Dictionary<string, double>();
        if (last is null) return summary;
        using var line = JsonDocument.Parse(last);
        foreach (var field in line.RootElement.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.Number) summary[field.Name] = field.Value.GetDouble();
            else if (field.Value.ValueKind == JsonValueKind.Object)
                foreach (var inner in field.Value.EnumerateObject().Where(i => i.Value.ValueKind == JsonValueKind.Number))
                    summary[$"{field.Name}.{inner.Name}"] = inner.Value.GetDouble();
        }
        return summary;
    }

    sealed class Progress(IProgress<string>? lines, string variant) : IProgress<TrainStepMetrics>
    {
        public void Report(TrainStepMetrics value) => lines?.Report($"{variant}: {value}");
    }
}
