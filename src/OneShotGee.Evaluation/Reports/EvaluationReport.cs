using System.Reflection;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Reports;

/// <summary>
/// A side-by-side evaluation of models, as report.json holds it. <see cref="Comparisons"/> is derived: each model's
/// metric deltas against <see cref="Baseline"/>, its relative gap reduction and a paired test of the gap's change.
/// </summary>
/// <param name="Baseline">The name of the model the others are compared with, or null.</param>
/// <param name="Seeds">Every seed used, by what it seeded (e.g. <c>paired</c>, <c>bootstrap</c>).</param>
/// <param name="Datasets">SHA-256 of every data file or built-in set measured, by its name.</param>
public sealed record EvaluationReport(
    string ToolVersion,
    DateTimeOffset CreatedUtc,
    string? Baseline,
    IReadOnlyList<ModelEvaluation> Models,
    IReadOnlyDictionary<string, long> Seeds,
    IReadOnlyDictionary<string, string> Datasets,
    IReadOnlyList<TrainingRun> TrainingRuns)
{
    /// <summary>The informational version of this library (the tool's version).</summary>
    public static string CurrentToolVersion { get; } =
        typeof(EvaluationReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>A report stamped with the current tool version and time.</summary>
    /// <exception cref="InvalidInputException">No models, duplicate names, or a baseline that is not one of them.</exception>
    public static EvaluationReport Create(
        IReadOnlyList<ModelEvaluation> models, string? baseline, IReadOnlyDictionary<string, long> seeds,
        IReadOnlyDictionary<string, string> datasets, IReadOnlyList<TrainingRun>? trainingRuns = null)
    {
        if (models.Count == 0) throw new InvalidInputException("an evaluation report needs at least one model");
        if (models.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidInputException($"model name '{twice.Key}' is used twice; names must be unique");
        if (baseline is not null && models.All(m => m.Name != baseline))
            throw new InvalidInputException(
                $"baseline '{baseline}' is not one of the models ({string.Join(", ", models.Select(m => m.Name))})");
        EnsureTokenLevelMetricsCompare(models);
        return new EvaluationReport(CurrentToolVersion, DateTimeOffset.UtcNow, baseline, models, seeds, datasets, trainingRuns ?? []);
    }

    // Benchmarks whose numbers are per token: comparing them across tokenizers compares different units.
    static readonly string[] TokenLevel =
        [Paired.PairedEntropyResult.Benchmark, Retention.PerplexityResult.Benchmark, Retention.PerplexityResult.GenderedBenchmark];

    static void EnsureTokenLevelMetricsCompare(IReadOnlyList<ModelEvaluation> models)
    {
        var tokenLevel = models.Where(m => m.TokenizerId is not null && m.Benchmarks.Any(b => TokenLevel.Contains(b.Benchmark))).ToList();
        if (tokenLevel.DistinctBy(m => m.TokenizerId).Take(2).ToList() is [var first, var second])
            throw new InvalidInputException(
                $"models '{first.Name}' and '{second.Name}' use different tokenizers, so their token-level metrics " +
                $"({string.Join(", ", TokenLevel)}) cannot be compared; evaluate them in separate reports or drop those benchmarks");
    }

    /// <summary>
    /// Distinct paired prompts that the training data also holds (pipeline runs; null for a plain evaluation): 0 means
    /// the paired gap was measured on prompts the models were not trained on.
    /// </summary>
    public int? PairedPromptOverlap { get; init; }

    /// <summary>The attributes the models' paired gaps were measured over (name, lexicon id, groups), each once, in model
    /// order: which attribute every <c>h_{group}</c>, gap and variance of the report belongs to.</summary>
    public IReadOnlyList<AttributeGroups> Attributes => [.. Models.Select(m => m.Paired?.Attribute).OfType<AttributeGroups>().DistinctBy(a => a.LexiconId)];

    public ModelEvaluation? BaselineModel => Baseline is null ? null : Models.First(m => m.Name == Baseline);

    /// <summary>Per model other than the baseline: benchmark → metric → (value − baseline value), and the gap reduction.</summary>
    public IReadOnlyList<ModelComparison> Comparisons => BaselineModel is not { } baseline ? [] :
        [.. Models.Where(m => m != baseline).Select(m => ModelComparison.Against(m, baseline))];
}

/// <param name="Deltas">Benchmark → metric → value − baseline value, for metrics only (entropies, gap, scores, perplexity,
/// accuracy): a difference of two test statistics, p-values, interval bounds or counts means nothing.</param>
/// <param name="GapReduction">1 − gap/gap_baseline of the paired entropy gap, when both have one over the same groups of the same attribute.</param>
/// <param name="GapTest">Paired test of the gap's change over the prompt pairs both were measured on, when they share them.</param>
public sealed record ModelComparison(
    string Model, string Baseline, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Deltas, double? GapReduction,
    GapChangeTest? GapTest)
{
    static readonly HashSet<string> Statistics =
        ["gap_ci_low", "gap_ci_high", "mean_difference", "t_statistic", "t_p_value", "permutation_p_value", "correct", "tokens"];

    /// <summary>Whether a benchmark's number is a metric of the model (its change is meaningful), not a statistic or count of one measurement.</summary>
    public static bool IsMetric(string name) => !Statistics.Contains(name);

    public static ModelComparison Against(ModelEvaluation model, ModelEvaluation baseline)
    {
        var deltas = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var result in model.Benchmarks)
            if (baseline.Benchmarks.FirstOrDefault(b => b.Benchmark == result.Benchmark) is { } reference)
                deltas[result.Benchmark] = result.Metrics.Where(m => IsMetric(m.Key) && reference.Metrics.ContainsKey(m.Key))
                    .ToDictionary(m => m.Key, m => m.Value - reference.Metrics[m.Key]);
        if (model.Paired is not { } paired || baseline.Paired is not { } basePaired || !paired.SameGroupsAs(basePaired))
            return new ModelComparison(model.Name, baseline.Name, deltas, GapReduction: null, GapTest: null);
        return new ModelComparison(model.Name, baseline.Name, deltas, paired.RelativeReduction(basePaired), GapChangeTest.Between(paired, basePaired));
    }
}
