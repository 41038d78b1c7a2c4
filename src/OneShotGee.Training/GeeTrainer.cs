using System.Diagnostics;
using OneShotGee.Core;
using OneShotGee.Core.Gee;
using OneShotGee.Core.Telemetry;
using OneShotGee.Data;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Lora;
using OneShotGee.Modeling.Runtime;
using OneShotGee.Modeling.Tokenization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Training;

/// <summary>
/// The GEE training loop: per optimizer step, sample → entropy (and, with a KL anchor, the KL to the starting model
/// held by <see cref="ReferencePolicy"/>) → GEE loss → backward (<see cref="GeeGradient"/>),
/// then clip and step AdamW (<see cref="ClippedAdamW"/>); metrics to <c>metrics.jsonl</c> and the
/// <see cref="TrainingMeter"/>; checkpoints every <see cref="TrainOptions.SaveSteps"/> steps and at the end, and
/// the final model in <c>&lt;out&gt;/final</c>.
/// </summary>
public sealed class GeeTrainer : IDisposable
{
    public const string MetricsFile = "metrics.jsonl";
    public const string FinalDirectory = "final";
    public const string MergedDirectory = "merged";

    readonly TrainOptions options;
    readonly PairBatchSampler batches;
    readonly LambdaAnnealer annealer;
    readonly GeeGradient gradient;
    readonly ClippedAdamW optimizer;
    readonly IReadOnlyList<(string Name, Parameter Weight)> trainable;
    readonly IReadOnlyDictionary<string, string> trajectory;
    readonly ReferencePolicy? reference;
    int checkpointedStep;

    GeeTrainer(TrainOptions options, PreparedDataset data, CausalLM lm, ModelTokenizer tokenizer, TrainerState? resumed,
        IReadOnlyDictionary<string, string> trajectory, ReferencePolicy? reference)
    {
        (this.options, Model, this.trajectory, this.reference) = (options, lm, trajectory, reference);
        var gee = options.GeeOptions(data.Groups);
        batches = Sampler(options, data, resumed?.DataCursor ?? 0);
        annealer = new LambdaAnnealer(gee);
        // The annealer's only state is gap_0, set by the first gap above 0 it sees.
        if (resumed?.AnnealInitialGap is { } gap0) annealer.Next(gap0);
        gradient = new GeeGradient(new ResponseSampler(PromptEncoder.For(tokenizer, options.ChatTemplate), options), options, gee, annealer, reference);
        trainable = [.. lm.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter))];
        optimizer = new ClippedAdamW([.. trainable.Select(p => p.Weight)], options);
        Step = checkpointedStep = resumed?.Step ?? 0;
    }

    public CausalLM Model { get; }

    /// <summary>Optimizer steps completed.</summary>
    public int Step { get; private set; }

    /// <summary>Validates the options and data (before any model is loaded), removes saves a killed run left unfinished,
    /// then loads the model, or the checkpoint named by <see cref="TrainOptions.Resume"/> with its optimizer state.</summary>
    public static GeeTrainer Create(TrainOptions options, CancellationToken ct = default)
    {
        options.Validated();
        var data = PreparedDataset.Read(options.DataPath, ct);
        options.ValidateAgainst(data.Groups);
        _ = Sampler(options, data, 0); // rejects broken sets and unknown sources before the model loads
        TrainingCheckpoint.RemoveUnfinished(options.OutputPath);
        var resumeDir = options.Resume is { } resume ? TrainingCheckpoint.Resolve(resume, options.OutputPath) : null;
        var state = resumeDir is null ? null : TrainerState.Read(resumeDir);
        if (!Directory.Exists(options.ModelPath))
            throw new InvalidInputException($"--model '{options.ModelPath}' is not a directory");
        EnsureFits(options);
        var trajectory = TrajectoryOptions.Of(options);
        state?.EnsureContinues(options, trajectory, resumeDir!);

        var tokenizer = StartingModel.Source(options).LoadTokenizer();
        var lm = LoadModel(options, resumeDir);
        ReferencePolicy? reference = null;
        try
        {
            reference = ReferencePolicy.For(options);
            var trainer = new GeeTrainer(options, data, lm, tokenizer, state, trajectory, reference);
            if (resumeDir is not null) trainer.optimizer.Load(Path.Combine(resumeDir, TrainingCheckpoint.OptimizerFile));
            DropMetricsAfter(Path.Combine(options.OutputPath, MetricsFile), trainer.Step);
            return trainer;
        }
        catch
        {
            reference?.Dispose();
            lm.Dispose();
            throw;
        }
    }

    static PairBatchSampler Sampler(TrainOptions options, PreparedDataset data, long cursor) =>
        new(data.Rows, data.Groups, options.Seed, cursor, options.SourceWeights, options.EffectiveBatch / data.Groups.Count);

    /// <summary>Refuses, before any weight is read, a run whose memory plan exceeds what its device has available.</summary>
    static void EnsureFits(TrainOptions options)
    {
        var configPath = Path.Combine(StartingModel.BaseDirectory(options), "config.json");
        if (!File.Exists(configPath)) return; // the model loader names what is missing
        var plan = MemoryPlan.Estimate(ModelConfig.Load(configPath), options, MemoryPlan.BytesPerValue(options));
        if (DeviceBudget.AvailableBytes(options.Device) is { } available && plan.DoesNotFit(available, options, options.Device) is { } why)
            throw new InvalidInputException(why);
    }

    // Steps after the checkpoint (all of them on a fresh start) are run again: lines an interrupted run wrote for them,
    // a torn last line included, must not stay.
    static void DropMetricsAfter(string metricsPath, int step)
    {
        if (!File.Exists(metricsPath)) return;
        var kept = File.ReadAllLines(metricsPath).Where(line => StepOf(line) is { } s && s <= step).ToList();
        File.WriteAllLines(metricsPath, kept);
    }

    static int? StepOf(string metricsLine)
    {
        try
        {
            using var line = System.Text.Json.JsonDocument.Parse(metricsLine);
            return line.RootElement.GetProperty("step").GetInt32();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // Full fine-tuning resumes from the checkpoint's weights; LoRA from the starting model plus the checkpoint's adapter.
    static CausalLM LoadModel(TrainOptions options, string? resumeDir)
    {
        if (resumeDir is not null && LoraAdapter.IsAdapterDirectory(resumeDir) != options.Lora is not null)
            throw new InvalidInputException(options.Lora is null
                ? $"--resume '{resumeDir}' holds a LoRA adapter; resume it with the same --lora-* options"
                : $"--resume '{resumeDir}' holds a full model, not a LoRA adapter; resume it without --lora-rank");
        var lm = options.Lora is null && resumeDir is not null
            ? CausalLM.FromPretrained(resumeDir, ComputeTarget.ParseDtype(options.Dtype ?? "auto"), ComputeTarget.ParseDevice(options.Device))
            : StartingModel.Load(options);
        try
        {
            if (options.Lora is { } lora)
            {
                if (resumeDir is null) LoraAdapter.Apply(lm, lora, options.Seed);
                else LoraAdapter.Load(lm, resumeDir);
            }
            lm.model.GradientCheckpointing = options.GradientCheckpointing;
            return lm;
        }
        catch
        {
            lm.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the remaining steps and writes <c>&lt;out&gt;/final</c> (with LoRA the adapter, and with Merge also the merged
    /// model in <c>&lt;out&gt;/merged</c>, stored in <see cref="TrainOptions.MergeDtype"/>; <see cref="Model"/> keeps its
    /// adapters); reports each step as it ends.
    /// </summary>
    /// <remarks>Cancelled (Ctrl+C, a pod being stopped), it first checkpoints the steps done since the last checkpoint,
    /// so a resume loses no work.</remarks>
    public string Run(IProgress<TrainStepMetrics>? progress = null, CancellationToken ct = default)
    {
        while (Step < options.MaxSteps)
        {
            if (ct.IsCancellationRequested)
            {
                if (Step > checkpointedStep) SaveCheckpoint();
                ct.ThrowIfCancellationRequested();
            }
            var metrics = RunStep();
            progress?.Report(metrics);
        }
        var final = Path.Combine(options.OutputPath, FinalDirectory);
        TrainedWeights.Save(Model, final, StartingModel.Source(options).Path);
        if (options.Merge)
            LoraAdapter.SaveMerged(Model, Path.Combine(options.OutputPath, MergedDirectory), ComputeTarget.ParseDtype(options.MergeDtype)!.Value);
        return final;
    }

    /// <summary>One optimizer step, then its metrics line and, when due, a checkpoint. A non-finite loss, gradient
    /// or weight throws naming the step before anything of that step is saved.</summary>
    public TrainStepMetrics RunStep()
    {
        var step = Step + 1;
        using var span = GeeTelemetry.Source.StartActivity("train.step")?.SetTag("train.step", step);
        var clock = Stopwatch.StartNew();
        TrainingGuard.EnsureFiniteWeights(trainable, step);
        Model.train();
        GradientResult result;
        double gradNorm, optimizerSeconds;
        var microBatches = batches.Next(options.EffectiveBatch / options.MicroBatch, options.MicroBatch);
        using (var scope = NewDisposeScope())
        {
            try
            {
                result = gradient.Accumulate(Model, microBatches, step);
                var optimizerClock = Stopwatch.StartNew();
                gradNorm = optimizer.Step(step);
                optimizerSeconds = optimizerClock.Elapsed.TotalSeconds;
            }
            catch
            {
                optimizer.ZeroGradients();
                throw;
            }
        }
        TrainingGuard.EnsureFiniteWeights(trainable, step);
        Step = step;
        var metrics = new TrainStepMetrics(result.Gee, gradNorm, options.LearningRate, result.GeneratedTokens,
            result.SamplingSeconds, optimizerSeconds, clock.Elapsed.TotalSeconds, Process.GetCurrentProcess().PeakWorkingSet64,
            options.SourceWeights is null ? null : batches.MeanBySource(microBatches.SelectMany(b => b), result.SampleEntropies));

        Directory.CreateDirectory(options.OutputPath);
        File.AppendAllText(Path.Combine(options.OutputPath, MetricsFile), metrics.ToJsonLine() + "\n");
        TrainingMeter.Record(metrics);
        if (step % options.SaveSteps == 0 || step == options.MaxSteps) SaveCheckpoint();
        return metrics;
    }

    void SaveCheckpoint()
    {
        var saveClock = Stopwatch.StartNew();
        var checkpoint = TrainingCheckpoint.Save(options.OutputPath, Model, optimizer,
            new TrainerState(Step, batches.Cursor, annealer.InitialGap, trajectory), StartingModel.Source(options).Path);
        TrainingMeter.RecordCheckpoint(checkpoint, saveClock.Elapsed.TotalSeconds);
        checkpointedStep = Step;
        if (options.SaveTotalLimit is { } keep) TrainingCheckpoint.KeepNewest(options.OutputPath, keep);
    }

    public void Dispose()
    {
        optimizer.Dispose();
        reference?.Dispose();
        Model.Dispose();
    }
}
