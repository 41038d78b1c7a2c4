using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Modeling.Loading;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.Steps;
using OneShotGee.Training;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Pipeline;

/// <summary>
/// The GEE run: prepare → evaluate the baseline → train each variant → evaluate it → report. The steps are the same
/// objects the services' workflow activities run; here they run in one process, recorded in the run directory.
/// </summary>
public static class GeeRun
{
    /// <summary>The run's configuration, as run, beside manifest.json.</summary>
    public const string ConfigFile = "run.json";

    /// <summary>Checks every section of the config and builds the steps, before anything is loaded or written.</summary>
    public static IReadOnlyList<IPipelineStep> Plan(RunConfig config)
    {
        var data = PrepareSection(new PrepareOptions("placeholder.parquet", Synthetic: 256, Augment: AugmentMode.Counterfactual), config.Data, "data");
        var evaluation = JsonOverlay.Apply(new EvaluationOptions(), config.Evaluation, "evaluation");
        var sharedTrain = JsonOverlay.Apply(new TrainOptions { ModelPath = "-", DataPath = "-", OutputPath = "-" }, config.Train, "train");

        var steps = new List<IPipelineStep> { new PrepareDataStep(TrainModelStep.TrainData, data) };
        var measured = data;
        if (config.HeldOut is { } heldOutSection)
        {
            // The held-out set keeps the data's column, lexicon and augmentation but never its input: it is its own
            // file or its own synthetic prompts (seeded apart), else the same prompts would be trained and measured.
            var section = (JsonObject)heldOutSection.DeepClone();
            var allowOverlap = section.Remove("allow_overlap", out var allow) && allow?.GetValueKind() switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InvalidInputException($"held_out: allow_overlap must be true or false, got {allow?.ToJsonString() ?? "null"}"),
            };
            var defaults = data with { InputPath = null, OneShot = false, Replicate = 1, TargetSize = null, Seed = data.Seed + 1 };
            measured = PrepareSection(defaults, section, "held_out");
            steps.Add(new PrepareHeldOutStep(measured, allowOverlap));
        }
        // The paired gap is measured over the attribute of the prompts it measures (the held-out set's, else the
        // training data's), unless the evaluation names its own prompts or attribute.
        if (evaluation.Attribute is null && evaluation.PairedPrompts is null)
            evaluation = evaluation with { Attribute = measured.LexiconSource() };
        evaluation = evaluation.ValidatedWithoutReading();
        var hasHeldOut = config.HeldOut is not null;
        steps.Add(new EvaluateModelStep(ReportStep.Baseline, TrainModelStep.BaseModel, evaluation, hasHeldOut));

        var variants = config.NamedVariants();
        foreach (var (name, overrides) in variants)
        {
            var train = JsonOverlay.Apply(sharedTrain, overrides, $"variants[{name}]").Validated();
            if (train.Lora is not null && !train.Merge)
                throw new InvalidInputException($"variants[{name}]: a LoRA variant needs \"merge\": true so that it can be evaluated as a full model");
            steps.Add(new TrainModelStep(name, train));
            steps.Add(new EvaluateModelStep(name, "model-" + name, evaluation, hasHeldOut));
        }
        steps.Add(new ReportStep([.. variants.Select(v => v.Name)], sharedTrain.Seed, hasHeldOut, evaluation.PairedPrompts, evaluation.Attribute));
        return steps;
    }

    /// <summary>A prepare section over its defaults; naming an input file replaces default synthetic prompts (and vice versa).</summary>
    static PrepareOptions PrepareSection(PrepareOptions defaults, JsonObject? section, string name)
    {
        if (section is not null && section.ContainsKey("input_path") != section.ContainsKey("synthetic"))
            defaults = section.ContainsKey("input_path") ? defaults with { Synthetic = null } : defaults with { InputPath = null };
        var options = JsonOverlay.Apply(defaults, section, name);
        try { options.Validate(); }
        catch (InvalidInputException e) { throw new InvalidInputException($"{name}: {e.Message}", e); }
        return options;
    }

    /// <summary>Runs (or with <paramref name="resume"/> continues) the run in <paramref name="runDirectory"/>; returns the report.</summary>
    public static EvaluationReport Execute(
        RunConfig config, string runDirectory, bool resume, string? demoCacheRoot = null,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var steps = Plan(config);
        steps.OfType<EvaluateModelStep>().First().CheckPairedInputs(); // every evaluation shares the options
        var model = ResolveModel(config.Model, demoCacheRoot, progress, ct, DemoAttribute(steps));
        var runId = RunIdOf(config);
        var manifest = Runner(config, runDirectory, runId)
            .Run(steps, [ArtifactRef.Of(TrainModelStep.BaseModel, model)], resume, progress, ct);
        var report = manifest.Step("report")!.Outputs!.Single();
        return ReportJson.Read(Path.Combine(report.LocalPath, ReportWriter.JsonFile));
    }

    /// <summary>The runner for <paramref name="runDirectory"/>, with run.json written beside its manifest (once).</summary>
    public static PipelineRunner Runner(RunConfig config, string runDirectory, string runId)
    {
        var configCopy = Path.Combine(runDirectory, ConfigFile);
        if (!File.Exists(configCopy))
        {
            Directory.CreateDirectory(runDirectory);
            File.WriteAllText(configCopy, config.ToJson());
        }
        return new PipelineRunner(runDirectory, runId, config.ContentSha256(), config.Model);
    }

    /// <summary>The attribute a <c>"model": "demo"</c> run's demo model plants its gap across: its training data's
    /// (a built-in name or a lexicon file).</summary>
    public static string DemoAttribute(IReadOnlyList<IPipelineStep> plan) => plan.OfType<PrepareDataStep>().First().Options.LexiconSource();

    /// <summary>The run's model directory: the demo model (built once into its cache, its gap planted across the groups
    /// of <paramref name="attribute"/>, a built-in lexicon or a lexicon file, default gender), or the model directory
    /// given — a full model or a PEFT adapter directory, checked (files, tokenizer, architecture, its base) before any
    /// step runs. From an adapter the baseline is the adapter applied unmerged and each variant trains from its float32
    /// merge (<see cref="StartingModel"/>).</summary>
    public static string ResolveModel(string model, string? demoCacheRoot, IProgress<string>? progress, CancellationToken ct,
        string? attribute = null)
    {
        if (model == "demo") return DemoModelCache.EnsureBuilt(DemoRecipe.For(attribute), demoCacheRoot, rebuild: false, new DemoProgress(progress), ct);
        if (!Directory.Exists(model)) throw new InvalidInputException($"run config: model '{model}' is not a directory (or \"demo\")");
        try { return ModelSource.Resolve(model).Validated().Path; }
        catch (InvalidInputException e) { throw new InvalidInputException($"run config: model: {e.Message}", e); }
    }

    /// <summary>The run id: the config's own, else one derived from its content hash.</summary>
    public static string RunIdOf(RunConfig config) => config.RunId ?? $"gee-{config.ContentSha256()[..12]}";

    sealed class DemoProgress(IProgress<string>? lines) : IProgress<PretrainProgress>
    {
        public void Report(PretrainProgress value)
        {
            if (value.Step % 50 == 0 || value.Step == value.Steps)
                lines?.Report(FormattableString.Invariant($"demo model: step {value.Step}/{value.Steps}, loss {value.Loss:F3}"));
        }
    }
}
