using OneShotGee.Core;
using OneShotGee.Core.Gee;
using OneShotGee.Modeling.Lora;

namespace OneShotGee.Training;

/// <summary>How the group statistics H_g, H̄ of the GEE loss are taken under gradient accumulation.</summary>
public enum GroupStatsMode
{
    /// <summary>Over the whole effective batch, exactly, in two passes (<see cref="TwoPassGee"/>).</summary>
    Batch,

    /// <summary>Per micro-batch, the losses averaged: the seed's approximation.</summary>
    Micro,
}

/// <summary>
/// A GEE training run. Defaults are One-shot EM's / the seed <c>train_gee.py</c>'s: effective batch 64 in micro-batches
/// of 2, sampling at temperature 0.5, top-p 0.95, repetition penalty 1.15, 512 new tokens, AdamW lr 2e-5,
/// β (0.9, 0.999), ε 1e-8, weight decay 0.01 (PyTorch's AdamW default), gradient norm clipped to 1, 50 steps, seed 15;
/// no KL anchor (β_KL = 0) until issue 17's measurements choose one.
/// Which options a resume must repeat and which it may change: <see cref="TrajectoryOptions"/>.
/// </summary>
public sealed record TrainOptions
{
    public required string ModelPath { get; init; }
    public required string DataPath { get; init; }
    public required string OutputPath { get; init; }

    public int EffectiveBatch { get; init; } = 64;
    public int MicroBatch { get; init; } = 2;

    /// <summary>
    /// Prompts sampled per <c>generate</c> call, a multiple of <see cref="MicroBatch"/>; null: the whole step in one
    /// call (fewest sequential decoding steps). Equal to <see cref="MicroBatch"/>, it samples exactly as one call per
    /// micro-batch did before this option existed.
    /// </summary>
    public int? GenerationBatchSize { get; init; }

    /// <summary>What <see cref="GenerationBatchSize"/> amounts to: at most the effective batch.</summary>
    public int GenerationBatch => Math.Min(GenerationBatchSize ?? EffectiveBatch, EffectiveBatch);

    public double SamplingTemperature { get; init; } = 0.5;
    public double TopP { get; init; } = 0.95;
    public double RepetitionPenalty { get; init; } = 1.15;
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>Entropy temperature τ.</summary>
    public double Tau { get; init; } = 0.5;
    public double Lambda { get; init; } = 3.0;
    public GeePenalty Penalty { get; init; } = GeePenalty.L2;
    /// <summary>How the entropy-minimisation term averages: per sample (ours) or per generated token (One-shot EM).</summary>
    public EmWeighting EmWeighting { get; init; } = EmWeighting.Sample;
    public bool PenaltyOnly { get; init; }
    /// <summary>β of the KL anchor β·KL(π_θ ‖ π_ref) to the starting model (<see cref="ReferencePolicy"/>); 0: none.</summary>
    public double KlCoef { get; init; }
    public bool AutoAnneal { get; init; }
    public GroupStatsMode GroupStats { get; init; } = GroupStatsMode.Batch;

    public double LearningRate { get; init; } = 2e-5;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.01;
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Mixed tasks: each step's effective batch takes from each source (the prepared <c>source</c> column of a
    /// set's first row) its weight's share of the sets (<see cref="PairBatchSampler"/>); null samples the whole dataset.</summary>
    public IReadOnlyDictionary<string, double>? SourceWeights { get; init; }

    public int MaxSteps { get; init; } = 50;
    public int Seed { get; init; } = 15;
    public int SaveSteps { get; init; } = 10;

    /// <summary>Keep only the newest N checkpoints (null: all); the newest complete one is never deleted.</summary>
    public int? SaveTotalLimit { get; init; }

    /// <summary>A <see cref="Modeling.Tokenization.ChatTemplate"/> name: auto, none, chatml, llama3, llama2.</summary>
    public string ChatTemplate { get; init; } = "auto";

    /// <summary>auto (CUDA when available), cpu, cuda or cuda:N (see ComputeTarget).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>float32, bfloat16 or float16; default float32 on CPU and bfloat16 on CUDA.</summary>
    public string? Dtype { get; init; }

    /// <summary>LoRA adapters (fp32) over frozen base weights — how a 7B model trains on one 80 GB GPU; null: full fine-tuning.</summary>
    public LoraOptions? Lora { get; init; }

    /// <summary>With <see cref="Lora"/>: also write the merged full model to <c>&lt;out&gt;/merged</c>.</summary>
    public bool Merge { get; init; }

    /// <summary>The stored dtype of <c>merged/</c>: float32 (default) keeps an update smaller than the base dtype's
    /// rounding step; bfloat16 or float16 halve the size but can round a small update away (lossy).</summary>
    public string MergeDtype { get; init; } = "float32";

    /// <summary>Recompute each decoder layer in backward instead of keeping its activations.</summary>
    public bool GradientCheckpointing { get; init; }

    /// <summary>A checkpoint directory to continue from, or "latest" for the newest one under <see cref="OutputPath"/>.</summary>
    public string? Resume { get; init; }

    public GeeOptions GeeOptions(IReadOnlyList<string> groups) => new()
    {
        Lambda = Lambda, Temperature = Tau, Penalty = Penalty, PenaltyOnly = PenaltyOnly, EmWeighting = EmWeighting, AutoAnneal = AutoAnneal, Groups = groups,
    };

    /// <summary>Checks everything that needs neither the data nor the model; throws <see cref="InvalidInputException"/> naming the option.</summary>
    public TrainOptions Validated()
    {
        Require(!string.IsNullOrWhiteSpace(ModelPath), "--model must name a model directory");
        Require(!string.IsNullOrWhiteSpace(DataPath), "--data must name a prepared dataset");
        Require(!string.IsNullOrWhiteSpace(OutputPath), "--out must name an output directory");
        Require(EffectiveBatch > 0, $"--effective-batch must be positive, got {EffectiveBatch}");
        Require(MicroBatch > 0, $"--micro-batch must be positive, got {MicroBatch}");
        Require(EffectiveBatch % MicroBatch == 0,
            $"--micro-batch {MicroBatch} must divide --effective-batch {EffectiveBatch}");
        Require(GenerationBatchSize is null || (GenerationBatchSize > 0 && GenerationBatchSize % MicroBatch == 0),
            $"--generation-batch-size must be a positive multiple of --micro-batch {MicroBatch}, got {GenerationBatchSize}");
        Require(Positive(SamplingTemperature), $"--temperature must be positive, got {SamplingTemperature}");
        Require(TopP > 0 && TopP <= 1, $"--top-p must be in (0, 1], got {TopP}");
        Require(Positive(RepetitionPenalty), $"--repetition-penalty must be positive, got {RepetitionPenalty}");
        Require(MaxNewTokens > 0, $"--max-new-tokens must be positive, got {MaxNewTokens}");
        Require(Positive(Tau), $"--tau must be positive, got {Tau}");
        Require(double.IsFinite(Lambda) && Lambda >= 0, $"--lambda must be >= 0, got {Lambda}");
        Require(double.IsFinite(KlCoef) && KlCoef >= 0, $"--kl-coef must be a finite number >= 0, got {KlCoef}");
        Require(Enum.IsDefined(GroupStats), $"--group-stats must be batch or micro, got {GroupStats}");
        Require(Positive(LearningRate), $"--lr must be positive, got {LearningRate}");
        Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, $"AdamW betas must be in [0, 1), got ({Beta1}, {Beta2})");
        Require(Positive(Epsilon), $"AdamW epsilon must be positive, got {Epsilon}");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, $"--weight-decay must be >= 0, got {WeightDecay}");
        Require(Positive(MaxGradNorm), $"--max-grad-norm must be positive, got {MaxGradNorm}");
        Require(MaxSteps > 0, $"--max-steps must be positive, got {MaxSteps}");
        Require(SourceWeights is null || (SourceWeights.Count > 0 && SourceWeights.Values.All(Positive)),
            $"--source-weights must give each source a positive weight, got {(SourceWeights is null ? "" : SourceWeightsText(SourceWeights))}");
        Require(!Merge || Lora is not null, "--merge needs LoRA adapters to merge (--lora-rank)");
        Require(MergeDtype is "float32" or "bfloat16" or "float16", $"--merge-dtype must be float32, bfloat16 or float16, got '{MergeDtype}'");
        Require(SaveSteps > 0, $"--save-steps must be positive, got {SaveSteps}");
        Require(SaveTotalLimit is null or > 0, $"--save-total-limit must be at least 1, got {SaveTotalLimit}");
        Require(Modeling.Runtime.ComputeTarget.DeviceNames.Contains(Device) || Device.StartsWith("cuda:", StringComparison.Ordinal),
            $"--device must be auto, cpu, cuda or cuda:N, got '{Device}'");
        Require(Dtype is null or "float32" or "bfloat16" or "float16", $"--dtype must be float32, bfloat16 or float16, got '{Dtype}'");
        Require(Modeling.Tokenization.ChatTemplate.Names.Contains(ChatTemplate),
            $"--chat-template must be one of {string.Join(", ", Modeling.Tokenization.ChatTemplate.Names)}, got '{ChatTemplate}'");
        return this;
    }

    /// <summary>Checks the batch sizes against the dataset's groups (every micro-batch must hold every group).</summary>
    public void ValidateAgainst(IReadOnlyList<string> groups)
    {
        Require(groups.Count >= 2, $"--data '{DataPath}' has the groups [{string.Join(", ", groups)}]; GEE needs at least two");
        Require(MicroBatch >= groups.Count,
            $"--micro-batch {MicroBatch} is smaller than the {groups.Count} groups of --data; every micro-batch must hold every group");
        Require(MicroBatch % groups.Count == 0,
            $"--micro-batch {MicroBatch} must be a multiple of the {groups.Count} groups, so that each micro-batch holds whole counterfactual sets (one row per group)");
    }

    /// <summary>Parses <c>a=0.7,b=0.3</c> (the --source-weights syntax).</summary>
    public static IReadOnlyDictionary<string, double> ParseSourceWeights(string text)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            Require(parts.Length == 2 && parts[0].Length > 0
                && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight)
                && weights.TryAdd(parts[0], weight),
                $"--source-weights '{text}': '{item}' is not source=weight (each source once), e.g. gsm8k_test.jsonl=0.7,synthetic=0.3");
        }
        return weights;
    }

    /// <summary><c>a=0.7,b=0.3</c>, sources in ordinal order.</summary>
    public static string SourceWeightsText(IReadOnlyDictionary<string, double> weights) =>
        string.Join(',', weights.OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => w.Key + "=" + w.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    static bool Positive(double value) => double.IsFinite(value) && value > 0;

    static void Require(bool ok, string message)
    {
        if (!ok) throw new InvalidInputException(message);
    }
}
