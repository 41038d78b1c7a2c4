using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Evaluation.Suite;

namespace OneShotGee.Pipeline;

/// <summary>One model's headline numbers: the paired entropy gap and what debiasing cost.</summary>
/// <param name="GroupEntropies">H per group on the held-out pairs (nats).</param>
/// <param name="MeanEntropy">H̄, the mean over groups.</param>
/// <param name="Variance">The variance of the H per group, beside the max − min gap, when there are more than two groups.</param>
/// <param name="GapReduction">1 − gap/gap_baseline; null for the baseline.</param>
/// <param name="Perplexity">Perplexity on the held-out text to keep (retention), when measured.</param>
/// <param name="PerplexityChange">Relative change of <paramref name="Perplexity"/> against the baseline.</param>
/// <param name="TaskAccuracy">Accuracy on the user's own task (<c>task</c>), when measured.</param>
/// <param name="TaskAccuracyChange">Its change against the baseline (a fraction: 0.01 is one point).</param>
/// <param name="GenderedPerplexityChange">Relative change of the perplexity of text that carries the bias: expected to move.</param>
public sealed record RunSummaryRow(
    string Model, IReadOnlyDictionary<string, double> GroupEntropies, double MeanEntropy, double Gap, double GapLow, double GapHigh,
    double? GapReduction, double? Perplexity, double? PerplexityChange,
    double? TaskAccuracy = null, double? TaskAccuracyChange = null, double? GenderedPerplexityChange = null, double? Variance = null);

public static class RunSummary
{
    public static IReadOnlyList<RunSummaryRow> From(EvaluationReport report)
    {
        var baseline = report.BaselineModel;
        return [.. report.Models.Where(m => m.Paired is not null).Select(m =>
        {
            var paired = m.Paired!;
            var isBaseline = m == baseline;
            double? Relative(double? value, double? before) => isBaseline || value is null || before is null ? null : value / before - 1;
            double? Difference(double? value, double? before) => isBaseline || value is null || before is null ? null : value - before;
            var perplexity = Metric(m, PerplexityResult.Benchmark, "perplexity");
            var accuracy = Metric(m, EvaluationOptions.Task, "accuracy");
            return new RunSummaryRow(m.Name, paired.GroupEntropies, paired.GroupEntropies.Values.Average(), paired.Gap,
                paired.GapInterval.Low, paired.GapInterval.High,
                isBaseline ? null : report.Comparisons.FirstOrDefault(c => c.Model == m.Name)?.GapReduction,
                perplexity, Relative(perplexity, Metric(baseline, PerplexityResult.Benchmark, "perplexity")),
                accuracy, Difference(accuracy, Metric(baseline, EvaluationOptions.Task, "accuracy")),
                Relative(Metric(m, PerplexityResult.GenderedBenchmark, "perplexity"), Metric(baseline, PerplexityResult.GenderedBenchmark, "perplexity")),
                paired.Variance);
        })];
    }

    /// <summary>"benchmark: subset N of M, seed S" for each number of the summary that comes from a subset.</summary>
    public static IReadOnlyList<string> Subsets(EvaluationReport report) =>
        [.. report.Models.SelectMany(m => m.Benchmarks)
            .Where(b => b.Subset is not null && b.Benchmark is Evaluation.Paired.PairedEntropyResult.Benchmark or PerplexityResult.Benchmark
                or PerplexityResult.GenderedBenchmark or EvaluationOptions.Task)
            .Select(b => $"{b.Benchmark}: {b.Subset}").Distinct()];

    static double? Metric(ModelEvaluation? model, string benchmark, string metric) =>
        model?.Benchmarks.FirstOrDefault(b => b.Benchmark == benchmark)?.Metrics[metric];
}
