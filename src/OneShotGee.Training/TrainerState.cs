using System.Text.Json;
using System.Text.Json.Serialization;
using OneShotGee.Core;

namespace OneShotGee.Training;

/// <summary>
/// <c>trainer_state.json</c> of a checkpoint: what, besides the weights and the optimizer state, an exact resume
/// needs. No generator state: sampling seeds derive from (seed, step, micro-batch) and the data order from
/// (seed, epoch) and <see cref="DataCursor"/>. The batch layout and seed are kept to refuse a resume that would
/// not continue the same run.
/// </summary>
public sealed record TrainerState(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("data_cursor")] long DataCursor,
    [property: JsonPropertyName("anneal_initial_gap")] double? AnnealInitialGap,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("effective_batch")] int EffectiveBatch,
    [property: JsonPropertyName("micro_batch")] int MicroBatch)
{
    public const string FileName = "trainer_state.json";

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Indented));

    public static TrainerState Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new InvalidInputException($"--resume '{directory}' is not a training checkpoint: it has no {FileName}");
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path))
                ?? throw new InvalidInputException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path} is not a valid trainer state: {e.Message}", e);
        }
    }

    /// <summary>Throws naming the option when <paramref name="options"/> would not continue this run.</summary>
    public void EnsureContinues(TrainOptions options)
    {
        void Same(int saved, int given, string option)
        {
            if (saved != given)
                throw new InvalidInputException($"--resume: the checkpoint was trained with {option} {saved}, not {given}");
        }
        Same(Seed, options.Seed, "--seed");
        Same(EffectiveBatch, options.EffectiveBatch, "--effective-batch");
        Same(MicroBatch, options.MicroBatch, "--micro-batch");
        if (Step >= options.MaxSteps)
            throw new InvalidInputException($"--resume: the checkpoint is at step {Step}, not before --max-steps {options.MaxSteps}");
    }
}
