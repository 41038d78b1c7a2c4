using System.Globalization;
using OneShotGee.Core;
using OneShotGee.Modeling.Loading;
using OneShotGee.Modeling.Runtime;

namespace OneShotGee.Training;

/// <summary>
/// What a run's trajectory depends on, by <c>train</c> option name, as recorded in <c>trainer_state.json</c>: the
/// starting model (an adapter directory's id covers its base and its weights) and tokenizer (<see cref="ModelIdentity"/>),
/// the dataset's SHA-256, the batch layout, sampling, the GEE loss and its KL anchor, AdamW, the seed, the dtype and the
/// LoRA options. A resume must give the same values.
/// Left out, so free to change on resume: --max-steps (extending a run), --save-steps, --out, --resume, --merge
/// (after training), --device (a run may move machines; its numerics then differ by rounding) and
/// --gradient-checkpointing (the same computation, rearranged).
/// </summary>
public static class TrajectoryOptions
{
    /// <summary>Reads the dataset and the model directory's identifying files (cheap: see <see cref="ModelIdentity"/>).</summary>
    /// <remarks><c>source-weights</c> is recorded only when given, so checkpoints written before it existed still resume.</remarks>
    public static SortedDictionary<string, string> Of(TrainOptions o)
    {
        var options = Recorded(o);
        if (o.SourceWeights is { } weights) options["source-weights"] = TrainOptions.SourceWeightsText(weights);
        // Sampling per micro-batch is how every run sampled before the option existed: recorded only when it differs,
        // so their checkpoints resume with --generation-batch-size equal to --micro-batch.
        if (o.GenerationBatch != o.MicroBatch) options["generation-batch-size"] = Text(o.GenerationBatch);
        return options;
    }

    static SortedDictionary<string, string> Recorded(TrainOptions o) => new(StringComparer.Ordinal)
    {
        ["model"] = ModelIdentity.Of(StartingModel.Source(o)),
        ["tokenizer"] = ModelIdentity.Tokenizer(StartingModel.BaseDirectory(o)),
        ["data"] = DatasetHash.Of(o.DataPath),
        ["effective-batch"] = Text(o.EffectiveBatch),
        ["micro-batch"] = Text(o.MicroBatch),
        ["temperature"] = Text(o.SamplingTemperature),
        ["top-p"] = Text(o.TopP),
        ["repetition-penalty"] = Text(o.RepetitionPenalty),
        ["max-new-tokens"] = Text(o.MaxNewTokens),
        ["chat-template"] = o.ChatTemplate,
        ["tau"] = Text(o.Tau),
        ["lambda"] = Text(o.Lambda),
        ["penalty"] = o.Penalty.ToString().ToLowerInvariant(),
        ["penalty-only"] = Text(o.PenaltyOnly),
        ["em-weighting"] = o.EmWeighting.ToString().ToLowerInvariant(),
        ["kl-coef"] = Text(o.KlCoef),
        ["auto-anneal"] = Text(o.AutoAnneal),
        ["group-stats"] = o.GroupStats.ToString().ToLowerInvariant(),
        ["lr"] = Text(o.LearningRate),
        ["adam-beta1"] = Text(o.Beta1),
        ["adam-beta2"] = Text(o.Beta2),
        ["adam-epsilon"] = Text(o.Epsilon),
        ["weight-decay"] = Text(o.WeightDecay),
        ["max-grad-norm"] = Text(o.MaxGradNorm),
        ["seed"] = Text(o.Seed),
        ["dtype"] = (o.Dtype ?? ComputeTarget.DefaultDtype(ComputeTarget.ParseDevice(o.Device)).ToString()).ToLowerInvariant(),
        ["lora-rank"] = o.Lora is { } rank ? Text(rank.Rank) : "none",
        ["lora-alpha"] = o.Lora is { } alpha ? Text(alpha.Alpha) : "none",
        ["lora-dropout"] = o.Lora is { } dropout ? Text(dropout.Dropout) : "none",
        ["lora-targets"] = o.Lora is { } targets ? string.Join(',', targets.Targets) : "none",
    };

    /// <summary>Throws (exit 2) naming every option whose value differs from the checkpoint's, as <c>name old → new</c>.</summary>
    public static void EnsureSame(IReadOnlyDictionary<string, string> saved, IReadOnlyDictionary<string, string> given)
    {
        var differences = saved.Keys.Union(given.Keys).Order(StringComparer.Ordinal)
            .Where(name => saved.GetValueOrDefault(name) != given.GetValueOrDefault(name))
            .Select(name => $"{name} {saved.GetValueOrDefault(name) ?? "(unset)"} → {given.GetValueOrDefault(name) ?? "(unset)"}")
            .ToList();
        if (differences.Count > 0)
            throw new InvalidInputException(
                $"--resume: these options differ from the checkpoint's run and would change it: {string.Join(", ", differences)}. " +
                "Resume with the checkpoint's values, or start a new run under another --out");
    }

    static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    static string Text(bool value) => value ? "true" : "false";
}
