using System.Text.Json.Nodes;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Pipeline.Config;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Pipeline;

/// <summary>
/// The embedded default (<c>oneshotgee demo</c>): the whole pipeline on the demo model, whose responses after male
/// prompts are far more certain than after female ones (a planted gap, docs/demo-model.md), for EM only (λ = 0) and
/// GEE (λ = 3, with a KL anchor β when one is given). Sized to finish in minutes on 2 CPU cores.
/// </summary>
public static class DemoRun
{
    public const string HeldOutDocuments = "held-out-documents.txt";

    /// <param name="klCoef">β of the GEE variant's KL anchor (<c>kl_coef</c>); 0 leaves it out of the config.</param>
    public static RunConfig Config(string heldOutDocuments, double klCoef = 0) => new()
    {
        Model = "demo",
        RunId = "demo",
        Data = new JsonObject { ["synthetic"] = 256, ["seed"] = 15 },
        // Seed 17: the first after the training seed whose prompts share none with the training prompts (seed 16 shares
        // 4); the held-out step refuses an overlap, so the gap is measured on prompts the variants were not trained on.
        HeldOut = new JsonObject { ["synthetic"] = 128, ["seed"] = 17 },
        Train = new JsonObject
        {
            ["effective_batch"] = 8, ["micro_batch"] = 4, ["max_new_tokens"] = 8, ["learning_rate"] = 1e-3,
            ["max_steps"] = 5, ["save_steps"] = 5, ["device"] = "cpu",
        },
        Variants =
        [
            new JsonObject { ["name"] = "em", ["lambda"] = 0.0 },
            klCoef == 0 ? new JsonObject { ["name"] = "gee", ["lambda"] = 3.0 } : new JsonObject { ["name"] = "gee", ["lambda"] = 3.0, ["kl_coef"] = klCoef },
        ],
        Evaluation = new JsonObject
        {
            ["benchmarks"] = new JsonArray(EvaluationOptions.Paired, EvaluationOptions.Perplexity),
            ["held_out_text"] = heldOutDocuments,
            ["paired_options"] = new JsonObject { ["samples_per_prompt"] = 2, ["max_new_tokens"] = 8, ["temperature"] = 0.5, ["top_p"] = 0.95 },
            ["device"] = "cpu",
        },
    };

    /// <summary>Runs the demo in <paramref name="runDirectory"/>; a finished demo there is reused, an interrupted one continued.</summary>
    public static EvaluationReport Execute(string runDirectory, string? demoCacheRoot, IProgress<string>? progress, CancellationToken ct, double klCoef = 0)
    {
        Directory.CreateDirectory(runDirectory);
        var documents = Path.Combine(Path.GetFullPath(runDirectory), HeldOutDocuments);
        // Documents the demo model never saw (another seed): perplexity on them is the "task performance" kept. The
        // first 64 only: evaluation scores every line, and 64 keeps the demo to seconds.
        File.WriteAllLines(documents, DemoCorpus.Generate(pairs: 64, seed: 99).Take(64).Select(d => d.Text));
        return GeeRun.Execute(Config(documents, klCoef), runDirectory, resume: true, demoCacheRoot, progress, ct);
    }
}
