using System.Text.Json;
using System.Text.Json.Serialization;
using OneShotGee.Core;

namespace OneShotGee.Training;

/// <summary>
/// <c>trainer_state.json</c> of a checkpoint: what, besides the weights and the optimizer state, an exact resume
/// needs. No generator state: sampling seeds derive from (seed, step, micro-batch) and the data order from
/// (seed, epoch) and <see cref="DataCursor"/>. <see cref="Options"/> records everything that shapes the trajectory
/// (<see cref="TrajectoryOptions"/>), to refuse a resume that would not continue the same run.
/// </summary>
public sealed record TrainerState(
    [property: JsonPropertyName("step")] int Step,
    [property: JsonPropertyName("data_cursor")] long DataCursor,
    [property: JsonPropertyName("anneal_initial_gap")] double? AnnealInitialGap,
    [property: JsonPropertyName("options")] IReadOnlyDictionary<string, string>? Options)
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

    /// <summary>
    /// Throws naming each option whose value differs from the checkpoint's (<paramref name="trajectory"/>: the run's
    /// <see cref="TrajectoryOptions.Of"/>), or when the checkpoint is not before --max-steps. A checkpoint written
    /// before the options were recorded is refused: nothing would show that the resume continues the same run.
    /// </summary>
    public void EnsureContinues(TrainOptions options, IReadOnlyDictionary<string, string> trajectory, string directory)
    {
        if (Options is null)
            throw new InvalidInputException(
                $"--resume '{directory}': its {FileName} records no training options (written by an older version), so a resume " +
                "cannot check that it continues the same run; start a new run under another --out");
        TrajectoryOptions.EnsureSame(Options, trajectory);
        if (Step >= options.MaxSteps)
            throw new InvalidInputException($"--resume: the checkpoint is at step {Step}, not before --max-steps {options.MaxSteps}");
    }
}
