using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Retention;

namespace OneShotGee.Pipeline;

/// <summary>One model's headline numbers: the paired entropy gap and what debiasing cost.</summary>
/// <param name="GroupEntropies">H per group on the held-out pairs (nats).</param>
/// <param name="MeanEntropy">H̄, the mean over groups.</param>
/// <param name="GapReduction">1 − gap/gap_baseline; null for the baseline.</param>
/// <param name="PerplexityChange">Relative change of held-out perplexity against the baseline, when measured.</param>
public sealed record RunSummaryRow(
    string Model, IReadOnlyDictionary<string, double> GroupEntropies, double MeanEntropy, double Gap, double GapLow, double GapHigh,
    double? GapReduction, double? Perplexity, double? PerplexityChange);

public static class RunSummary
{
    public static IReadOnlyList<RunSummaryRow> From(EvaluationReport report)
    {
        var baselinePerplexity = report.BaselineModel is { } b ? Perplexity(b) : null;
        return [.. report.Models.Where(m => m.Paired is not null).Select(m =>
        {
            var paired = m.Paired!;
            var perplexity = Perplexity(m);
            var isBaseline = m.Name == report.Baseline;
            return new RunSummaryRow(m.Name, paired.GroupEntropies, paired.GroupEntropies.Values.Average(), paired.Gap,
                paired.GapInterval.Low, paired.GapInterval.High,
                isBaseline ? null : report.Comparisons.FirstOrDefault(c => c.Model == m.Name)?.GapReduction,
                perplexity,
                isBaseline || perplexity is null || baselinePerplexity is null ? null : perplexity / baselinePerplexity - 1);
        })];
    }

    /// <summary>"benchmark: subset N of M, seed S" for each number of the summary that comes from a subset.</summary>
    public static IReadOnlyList<string> Subsets(EvaluationReport report) =>
        [.. report.Models.SelectMany(m => m.Benchmarks)
            .Where(b => b.Subset is not null && b.Benchmark is Evaluation.Paired.PairedEntropyResult.Benchmark or PerplexityResult.Benchmark)
            .Select(b => $"{b.Benchmark}: {b.Subset}").Distinct()];

    static double? Perplexity(ModelEvaluation model) =>
        model.Benchmarks.FirstOrDefault(b => b.Benchmark == PerplexityResult.Benchmark)?.Metrics["perplexity"];
}
