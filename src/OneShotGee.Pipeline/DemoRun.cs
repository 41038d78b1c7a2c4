using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Data;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Pipeline.Config;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Pipeline;

/// <summary>
/// The embedded default (<c>oneshotgee demo</c>): the whole pipeline on the demo model, whose responses after male
/// prompts are far more certain than after female ones (a planted gap, docs/demo-model.md), for EM only (λ = 0) and
/// GEE (λ = <see cref="Lambda"/>, with a KL anchor β when one is given). Retention is measured where it should hold: the accuracy and perplexity of the demo model's neutral
/// skill (<see cref="NeutralCounting"/>); the perplexity of gendered documents is reported apart, as what GEE changes.
/// Sized to finish in seconds on 2 CPU cores. With another attribute (<c>demo --attribute gender-nb</c>) the gap is
/// planted across its K groups (the first low, the others high) and every size below counts sets of K prompts.
/// </summary>
public static class DemoRun
{
    public const string NeutralText = "held-out-neutral.txt", NeutralTask = "held-out-neutral-task.jsonl", GenderedText = "held-out-gendered.txt";

    /// <summary>Held-out neutral documents (a seed of their own, prompts the pretraining corpus lacks): 200 makes one answer half a point.</summary>
    public const int NeutralDocuments = 200, HeldOutSeed = 99;

    /// <summary>
    /// The demo's training setting, the best of the experiment grid (docs/experiments.md, "Defaults"): EM only is the
    /// same without the penalty and the anchor.
    /// </summary>
    public const double Lambda = 10.0, KlCoef = 0.0, LearningRate = 1e-3;
    public const int Steps = 5;

    /// <summary>
    /// With more than two groups, measured on gender-nb over training seeds 1–5 and 15 (docs/demo-model.md, "Other
    /// attributes"): the entropy at τ = 0.5 cannot see the low group's tail grow while the K − 1 high groups sharpen
    /// (its H at temperature 1, which the evaluation measures, rose past theirs whatever λ), so the run equalizes the
    /// entropy of the model's own distribution, τ = 1; there the low group's entropy rises fast, and a fifth step
    /// flattened end of text after the period (the neutral task lost 2 points at seed 15), so it stops after four.
    /// </summary>
    public const double ManyGroupsTau = 1.0;
    public const int ManyGroupsSteps = 4;

    /// <param name="klCoef">β of the GEE variant's KL anchor (<c>kl_coef</c>); 0 leaves it out of the config.</param>
    /// <param name="attribute">A built-in lexicon or a lexicon file (<c>prepare --attribute</c>); the default, gender, is left out of the config.</param>
    public static RunConfig Config(string directory, double klCoef = KlCoef, string attribute = DemoCorpus.DefaultAttribute)
    {
        var groups = Lexicon.Resolve(attribute).Groups.Count;
        return new()
        {
            Model = "demo",
            RunId = "demo",
            Data = WithAttribute(new JsonObject { ["synthetic"] = 128 * groups, ["seed"] = 15 }, attribute),
            // Seed 17: the first after the training seed whose prompts share none with the training prompts (seed 16 shares
            // 4); the held-out step refuses an overlap, so the gap is measured on prompts the variants were not trained on.
            // 128 held-out prompts in 128 / K sets, so that the evaluation takes the time of the gender demo's for any K.
            HeldOut = new JsonObject { ["synthetic"] = 128 / groups * groups, ["seed"] = 17 },
            Train = Train(groups),
            Variants =
            [
                new JsonObject { ["name"] = "em", ["lambda"] = 0.0 },
                klCoef == 0 ? new JsonObject { ["name"] = "gee", ["lambda"] = Lambda } : new JsonObject { ["name"] = "gee", ["lambda"] = Lambda, ["kl_coef"] = klCoef },
            ],
            Evaluation = Evaluation(directory),
        };
    }

    static JsonObject WithAttribute(JsonObject data, string attribute)
    {
        if (attribute != DemoCorpus.DefaultAttribute) data["attribute"] = attribute;
        return data;
    }

    // Micro-batches of two sets, effective batches of four: four prompts of each group per step, whatever K.
    static JsonObject Train(int groups)
    {
        var steps = groups > 2 ? ManyGroupsSteps : Steps;
        var train = new JsonObject
        {
            ["effective_batch"] = 4 * groups, ["micro_batch"] = 2 * groups, ["max_new_tokens"] = 8, ["learning_rate"] = LearningRate,
            ["max_steps"] = steps, ["save_steps"] = steps, ["device"] = "cpu",
        };
        if (groups > 2) train["tau"] = ManyGroupsTau;
        return train;
    }

    static JsonObject Evaluation(string directory) => new()
    {
        ["benchmarks"] = new JsonArray(EvaluationOptions.Paired, EvaluationOptions.Perplexity, EvaluationOptions.Task, EvaluationOptions.GenderedPerplexity),
        ["held_out_text"] = Path.Combine(directory, NeutralText),
        ["task_path"] = Path.Combine(directory, NeutralTask),
        ["gendered_text"] = Path.Combine(directory, GenderedText),
        // A count's continuation is three numbers, the period and end of text.
        ["task_max_new_tokens"] = NeutralCounting.Continued + 2,
        ["paired_options"] = new JsonObject { ["samples_per_prompt"] = 2, ["max_new_tokens"] = 8, ["temperature"] = 0.5, ["top_p"] = 0.95 },
        ["device"] = "cpu",
    };

    /// <summary>Runs the demo in <paramref name="runDirectory"/>; a finished demo there is reused, an interrupted one continued.</summary>
    public static EvaluationReport Execute(string runDirectory, string? demoCacheRoot, IProgress<string>? progress, CancellationToken ct,
        double klCoef = KlCoef, string attribute = DemoCorpus.DefaultAttribute)
    {
        var directory = Directory.CreateDirectory(runDirectory).FullName;
        WriteHeldOutFiles(directory, Lexicon.Resolve(attribute));
        return GeeRun.Execute(Config(directory, klCoef, attribute), runDirectory, resume: true, demoCacheRoot, progress, ct);
    }

    /// <summary>The evaluation's held-out files: neutral documents and their questions, and documents of the attribute's
    /// groups (32 sets: seconds, not minutes).</summary>
    public static void WriteHeldOutFiles(string directory, Lexicon? attribute = null)
    {
        var neutral = NeutralCounting.Generate(NeutralDocuments, HeldOutSeed, heldOut: true);
        File.WriteAllLines(Path.Combine(directory, NeutralText), neutral.Select(d => d.Text));
        File.WriteAllLines(Path.Combine(directory, NeutralTask), neutral.Select(d =>
            JsonSerializer.Serialize(new { question = d.Prompt, answer = NeutralCounting.Answer(d) })));
        File.WriteAllLines(Path.Combine(directory, GenderedText), DemoCorpus.Generate(sets: 32, seed: HeldOutSeed, attribute).Select(d => d.Text));
    }
}
