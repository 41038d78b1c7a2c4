using System.CommandLine;
using OneShotGee.Core;
using OneShotGee.Core.Gee;
using OneShotGee.Modeling.Lora;
using OneShotGee.Training;
using Spectre.Console;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee train</c>: GEE fine-tuning of a causal LM on a prepared dataset (see <see cref="GeeTrainer"/>).</summary>
public static class TrainCommand
{
    static readonly TrainOptions Defaults = new() { ModelPath = "", DataPath = "", OutputPath = "" };

    public static Command Create(CliConsole console)
    {
        var model = new Option<DirectoryInfo>("--model", "-m") { Description = "Hugging Face model directory.", Required = true };
        var data = new Option<FileInfo>("--data", "-d") { Description = "Prepared Parquet dataset (oneshotgee prepare); required unless --plan." };
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Output directory: metrics.jsonl, checkpoint-<step>/, final/; required unless --plan.",
        };
        var plan = new Option<bool>("--plan")
        {
            Description = "Print the memory this run would need (from the model's config.json, no weights read) and exit.",
        };
        var memoryBudget = new Option<double?>("--memory-budget")
        {
            Description = "GB that --plan compares against (default: what the device has available).",
        };
        var effectiveBatch = Default("--effective-batch", "Prompts per optimizer step.", Defaults.EffectiveBatch);
        var microBatch = Default("--micro-batch", "Prompts per forward pass; holds every group and whole counterfactual sets (a multiple of the group count).", Defaults.MicroBatch);
        var generationBatchSize = new Option<int?>("--generation-batch-size")
        {
            Description = "Prompts sampled together in one generate call, a multiple of --micro-batch (default: the whole step).",
        };
        var temperature = Default("--temperature", "Sampling temperature of the responses.", Defaults.SamplingTemperature);
        var topP = Default("--top-p", "Nucleus sampling threshold.", Defaults.TopP);
        var repetitionPenalty = Default("--repetition-penalty", "Repetition penalty when sampling.", Defaults.RepetitionPenalty);
        var maxNewTokens = Default("--max-new-tokens", "Longest sampled response.", Defaults.MaxNewTokens);
        var tau = Default("--tau", "Temperature τ of the token entropy.", Defaults.Tau);
        var lambda = Default("--lambda", "Weight λ of the group-entropy penalty (0: entropy minimisation only).", Defaults.Lambda);
        var l1 = new Option<bool>("--l1") { Description = "Penalise |H_g − H̄| instead of (H_g − H̄)²." };
        var l2Convention = new Option<string>("--l2-convention")
        {
            Description = "ours: Σ_g (H_g − H̄)² (= gap²/2 for two balanced groups); reference: (H_a − H_b)² as the GEE " +
                          "reference code, so λ there is λ/2 here. Two groups only.",
            DefaultValueFactory = _ => "ours",
        };
        l2Convention.AcceptOnlyFromAmong("ours", "reference");
        var emWeighting = new Option<EmWeighting>("--em-weighting")
        {
            Description = "sample: the EM term is the mean of per-response entropies (ours); token: the mean over all generated tokens, as One-shot EM.",
            DefaultValueFactory = _ => Defaults.EmWeighting,
        };
        var klCoef = Default("--kl-coef",
            "Weight β of the KL anchor: β · mean KL(π_θ ‖ π_ref) per generated token to the starting model, at τ (0: none; "
            + "full fine-tuning then holds a frozen copy of the weights, LoRA switches its adapters off).", Defaults.KlCoef);
        var penaltyOnly = new Option<bool>("--penalty-only") { Description = "Drop the H̄ term; keep only λ·penalty." };
        var autoAnneal = new Option<bool>("--auto-anneal") { Description = "Scale λ by gap_t / gap_0 each step." };
        var groupStats = new Option<GroupStatsMode>("--group-stats")
        {
            Description = "batch: exact full-batch statistics in two passes; micro: per micro-batch (the seed's approximation).",
            DefaultValueFactory = _ => Defaults.GroupStats,
        };
        var lr = Default("--lr", "AdamW learning rate.", Defaults.LearningRate);
        var weightDecay = Default("--weight-decay", "AdamW weight decay.", Defaults.WeightDecay);
        var maxGradNorm = Default("--max-grad-norm", "Gradient norm clipping.", Defaults.MaxGradNorm);
        var maxSteps = Default("--max-steps", "Optimizer steps.", Defaults.MaxSteps);
        var seed = Default("--seed", "Seed of the data order and the sampling.", Defaults.Seed);
        var saveSteps = Default("--save-steps", "Write a checkpoint every this many steps (and at the end).", Defaults.SaveSteps);
        var sourceWeights = new Option<string?>("--source-weights")
        {
            Description = "Mixed tasks: source=weight,… (the prepared 'source' column); each step's batch takes each source's share of whole sets.",
        };
        var saveTotalLimit = new Option<int?>("--save-total-limit") { Description = "Keep only the newest N checkpoints (default: all)." };
        var chatTemplate = Default("--chat-template", "auto, none, chatml, llama3 or llama2.", Defaults.ChatTemplate);
        var device = Default("--device", "auto, cpu, cuda or cuda:N.", Defaults.Device);
        var dtype = new Option<string?>("--dtype") { Description = "float32, bfloat16 or float16 (default float32 on CPU, bfloat16 on CUDA)." };
        var loraRank = new Option<int?>("--lora-rank") { Description = "Train LoRA adapters of this rank over frozen weights (default: full fine-tuning)." };
        var loraAlpha = new Option<double?>("--lora-alpha") { Description = "LoRA scaling numerator alpha (default 2 × rank)." };
        var loraDropout = Default("--lora-dropout", "Dropout on the LoRA input while training.", 0.0);
        var loraTargets = Default("--lora-targets", "Comma-separated projections that get adapters.", string.Join(',', LoraOptions.AllTargets));
        var merge = new Option<bool>("--merge") { Description = "With LoRA: also write the merged full model to <out>/merged." };
        var mergeDtype = Default("--merge-dtype",
            "Stored dtype of <out>/merged: float32 (default; the merge is computed in float32 and keeps a small update), "
            + "bfloat16 or float16 (half the size, but an update under half an ulp of the weight is rounded away).", Defaults.MergeDtype);
        var gradientCheckpointing = new Option<bool>("--gradient-checkpointing")
        {
            Description = "Recompute each decoder layer in backward instead of storing its activations (less memory, ~1/3 more compute).",
        };
        var resume = new Option<string?>("--resume")
        {
            Description = "A checkpoint directory to continue from, or 'latest' under --out. Options that shape the run must match the "
                + "checkpoint's (exit 2 names each that differs); --max-steps, --save-steps, --out, --merge, --device and "
                + "--gradient-checkpointing may change.",
        };

        var command = new Command("train", "Fine-tune a model with One-shot GEE: sample, entropy, GEE loss, AdamW.")
        {
            model, data, output, effectiveBatch, microBatch, generationBatchSize, temperature, topP, repetitionPenalty, maxNewTokens, tau, lambda,
            l1, l2Convention, emWeighting, klCoef, penaltyOnly, autoAnneal, groupStats, sourceWeights, lr, weightDecay, maxGradNorm, maxSteps, seed, saveSteps, saveTotalLimit, chatTemplate,
            device, dtype, loraRank, loraAlpha, loraDropout, loraTargets, merge, mergeDtype, gradientCheckpointing, resume, plan, memoryBudget,
        };
        command.SetAction((parse, cancel) => console.RunAsync(() =>
        {
            var options = new TrainOptions
            {
                ModelPath = parse.GetValue(model)!.FullName,
                DataPath = parse.GetValue(data)?.FullName ?? "",
                OutputPath = parse.GetValue(output)?.FullName ?? "",
                EffectiveBatch = parse.GetValue(effectiveBatch),
                MicroBatch = parse.GetValue(microBatch),
                GenerationBatchSize = parse.GetValue(generationBatchSize),
                SamplingTemperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                RepetitionPenalty = parse.GetValue(repetitionPenalty),
                MaxNewTokens = parse.GetValue(maxNewTokens),
                Tau = parse.GetValue(tau),
                Lambda = parse.GetValue(lambda),
                Penalty = Penalty(parse.GetValue(l1), parse.GetValue(l2Convention)!),
                PenaltyOnly = parse.GetValue(penaltyOnly),
                EmWeighting = parse.GetValue(emWeighting),
                KlCoef = parse.GetValue(klCoef),
                AutoAnneal = parse.GetValue(autoAnneal),
                GroupStats = parse.GetValue(groupStats),
                SourceWeights = parse.GetValue(sourceWeights) is { } weights ? TrainOptions.ParseSourceWeights(weights) : null,
                LearningRate = parse.GetValue(lr),
                WeightDecay = parse.GetValue(weightDecay),
                MaxGradNorm = parse.GetValue(maxGradNorm),
                MaxSteps = parse.GetValue(maxSteps),
                Seed = parse.GetValue(seed),
                SaveSteps = parse.GetValue(saveSteps),
                SaveTotalLimit = parse.GetValue(saveTotalLimit),
                ChatTemplate = parse.GetValue(chatTemplate)!,
                Device = parse.GetValue(device)!,
                Dtype = parse.GetValue(dtype),
                Lora = parse.GetValue(loraRank) is { } rank
                    ? new LoraOptions(rank, parse.GetValue(loraAlpha) ?? 2.0 * rank, parse.GetValue(loraDropout),
                        LoraOptions.ParseTargets(parse.GetValue(loraTargets)!))
                    : null,
                Merge = parse.GetValue(merge),
                MergeDtype = parse.GetValue(mergeDtype)!,
                GradientCheckpointing = parse.GetValue(gradientCheckpointing),
                Resume = parse.GetValue(resume),
            };
            if (parse.GetValue(plan))
            {
                console.Output.WriteLine(MemoryPlanReport.Describe(options, parse.GetValue(memoryBudget)));
                return Task.CompletedTask;
            }
            using var trainer = GeeTrainer.Create(options, cancel);
            var final = WithStepProgress(console, trainer, options.MaxSteps, cancel);
            console.Output.WriteLine($"final {(options.Lora is null ? "model" : "LoRA adapter")} -> {final}");
            return Task.CompletedTask;
        }));
        return command;
    }

    static GeePenalty Penalty(bool l1, string l2Convention) => (l1, l2Convention) switch
    {
        (true, "reference") => throw new InvalidInputException("--l2-convention reference is an L2 penalty; it cannot be combined with --l1"),
        (true, _) => GeePenalty.L1,
        (false, "reference") => GeePenalty.SquaredDifference,
        _ => GeePenalty.L2,
    };

    static Option<T> Default<T>(string name, string description, T value) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };

    /// <summary>One line per step on the output; in a terminal also a progress bar on the error stream.</summary>
    static string WithStepProgress(CliConsole console, GeeTrainer trainer, int maxSteps, CancellationToken cancel)
    {
        if (!console.Status.Profile.Capabilities.Interactive)
            return trainer.Run(new SynchronousProgress<TrainStepMetrics>(m => console.Output.WriteLine(m.ToString())), cancel);
        return console.Status.Progress().Start(context =>
        {
            var task = context.AddTask("Training", maxValue: maxSteps);
            task.Value = trainer.Step;
            return trainer.Run(new SynchronousProgress<TrainStepMetrics>(m =>
            {
                console.Output.WriteLine(m.ToString());
                task.Value = m.Step;
            }), cancel);
        });
    }
}
