using System.Globalization;
using OneShotGee.Core;
using OneShotGee.Modeling.Llama;

namespace OneShotGee.Training;

/// <summary>
/// <c>&lt;out&gt;/checkpoint-&lt;step&gt;/</c>: a Hugging Face model directory (with LoRA: a PEFT adapter) plus <c>optimizer.bin</c> and
/// <c>trainer_state.json</c>. Everything is written to a temporary sibling first and renamed into place, so a
/// checkpoint directory is always complete.
/// </summary>
public static class TrainingCheckpoint
{
    public const string Prefix = "checkpoint-";
    public const string OptimizerFile = "optimizer.bin";

    /// <param name="startingModel">See <see cref="TrainedWeights.Save"/>.</param>
    public static string Save(string outputDirectory, CausalLM lm, ClippedAdamW optimizer, TrainerState state, string startingModel)
    {
        var target = Path.Combine(Path.GetFullPath(outputDirectory), Prefix + state.Step.ToString(CultureInfo.InvariantCulture));
        var staging = $"{target}.tmp-{Guid.NewGuid():N}";
        try
        {
            TrainedWeights.Save(lm, staging, startingModel);
            optimizer.Save(Path.Combine(staging, OptimizerFile));
            state.Write(staging);
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            return target;
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>A checkpoint directory, or with "latest" the highest-step complete checkpoint under <paramref name="outputDirectory"/>.</summary>
    public static string Resolve(string resume, string outputDirectory)
    {
        if (resume != "latest")
            return Directory.Exists(resume) ? Path.GetFullPath(resume)
                : throw new InvalidInputException($"--resume '{resume}' does not exist");
        return Latest(outputDirectory) ?? throw new InvalidInputException($"--resume latest: no checkpoint under --out '{outputDirectory}'");
    }

    /// <summary>
    /// Deletes the oldest complete checkpoints beyond the newest <paramref name="keep"/> (a 7B full fine-tuning
    /// checkpoint is ~100 GB). The newest complete one is never deleted, and only complete ones count.
    /// </summary>
    public static void KeepNewest(string outputDirectory, int keep)
    {
        foreach (var old in Complete(outputDirectory).Skip(Math.Max(keep, 1)))
            Directory.Delete(old, recursive: true);
    }

    /// <summary>The highest-step complete checkpoint under <paramref name="outputDirectory"/>, or null if there is none.</summary>
    public static string? Latest(string outputDirectory) => Complete(outputDirectory).FirstOrDefault();

    /// <summary>Complete checkpoints (those with a trainer state), newest first.</summary>
    static IEnumerable<string> Complete(string outputDirectory) =>
        Directory.Exists(outputDirectory)
            ? Directory.GetDirectories(outputDirectory, Prefix + "*")
                .Select(dir => (Dir: dir, Step: int.TryParse(Path.GetFileName(dir)[Prefix.Length..], CultureInfo.InvariantCulture, out var s) ? s : -1))
                .Where(c => c.Step >= 0 && File.Exists(Path.Combine(c.Dir, TrainerState.FileName)))
                .OrderByDescending(c => c.Step)
                .Select(c => c.Dir)
            : [];

    /// <summary>Removes the staging folders of saves that a killed process never finished.</summary>
    public static void RemoveUnfinished(string outputDirectory)
    {
        if (!Directory.Exists(outputDirectory)) return;
        foreach (var staging in Directory.GetDirectories(outputDirectory, Prefix + "*.tmp-*"))
            Directory.Delete(staging, recursive: true);
    }
}
