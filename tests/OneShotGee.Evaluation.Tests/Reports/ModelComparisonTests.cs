using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;

namespace OneShotGee.Evaluation.Tests.Reports;

/// <summary>report.json comparisons: deltas of metrics only, and a paired test of the gap's change, on hand values.</summary>
public class ModelComparisonTests
{
    static readonly PairedEntropyOptions Options = new() { BootstrapResamples = 50 };

    // (male, female) entropies per pair. Baseline spreads H[female] − H[male]: 2, 1, 2, 2; the model's: 0, 0.5, 1, 0.
    static ModelEvaluation Evaluation(string name, params (double Male, double Female)[] pairs)
    {
        var paired = PairedEntropyResult.From("hand", "sha", ["male", "female"],
            [.. pairs.Select((p, i) => new PairEntropies($"p{i}", [p.Male, p.Female]))],
            new Dictionary<string, double> { ["male"] = 4, ["female"] = 4 }, Options);
        var perplexity = new BenchmarkResult("perplexity", new Dictionary<string, double> { ["perplexity"] = name == "gee" ? 2.5 : 2.0, ["tokens"] = 100 }, 10, "ppl");
        return new ModelEvaluation(name, name, name, [paired.ToBenchmarkResult(), perplexity], paired);
    }

    static readonly ModelEvaluation Baseline = Evaluation("baseline", (1, 3), (1, 2), (2, 4), (1, 3));
    static readonly ModelEvaluation Gee = Evaluation("gee", (2, 2), (1, 1.5), (2, 3), (2, 2));

    [Fact]
    public void DeltasAreOfMetricsNeverOfStatistics()
    {
        var comparison = ModelComparison.Against(Gee, Baseline);

        // Baseline: H[male] 1.25, H[female] 3, gap 1.75; gee: 1.75, 2.125, gap 0.375.
        Assert.Equal(0.5, comparison.Deltas["paired"]["h_male"], 12);
        Assert.Equal(-0.875, comparison.Deltas["paired"]["h_female"], 12);
        Assert.Equal(0.375 - 1.75, comparison.Deltas["paired"]["gap"], 12);
        Assert.Equal(0.5, comparison.Deltas["perplexity"]["perplexity"], 12);
        string[] statistics = ["t_statistic", "t_p_value", "permutation_p_value", "gap_ci_low", "gap_ci_high", "mean_difference"];
        Assert.All(statistics, s => Assert.DoesNotContain(s, comparison.Deltas["paired"].Keys));
        Assert.DoesNotContain("tokens", comparison.Deltas["perplexity"].Keys);
        Assert.Equal(0, comparison.Deltas["paired"]["tokens_male"]); // mean generated tokens: a property of the model
    }

    [Fact]
    public void TheGapChangeIsTestedPairByPair()
    {
        var test = ModelComparison.Against(Gee, Baseline).GapTest!;

        // Per pair, model spread − baseline spread: −2, −0.5, −1, −2. Mean −1.375, sd 0.75, t = −1.375 / (0.75 / 2).
        Assert.Equal("H[female] − H[male]", test.Direction);
        Assert.Equal(4, test.Pairs);
        Assert.Equal(-1.375, test.MeanChange, 12);
        Assert.Equal(-1.375 / (0.75 / 2), test.TStatistic, 9);
        // Exact sign flips of 4 differences: only the all-negative and all-positive vectors reach |sum| = 5.5.
        Assert.Equal(2.0 / 16, test.PermutationPValue, 12);
        Assert.InRange(test.TPValue, 0.03, 0.04); // two-sided t(3) = 3.667: p ≈ 0.035
    }

    [Fact]
    public void ModelsMeasuredOnDifferentPromptsGetNoGapTest()
    {
        // The same pair ids as the baseline's, but another prompt set: pair p0 here is not pair p0 there.
        var other = PairedEntropyResult.From("other", "other-sha", ["male", "female"],
            [.. Enumerable.Range(0, 4).Select(i => new PairEntropies($"p{i}", [1, 2]))], new Dictionary<string, double>(), Options);
        var elsewhere = new ModelEvaluation("elsewhere", "x", "x", [other.ToBenchmarkResult()], other);

        Assert.Null(ModelComparison.Against(elsewhere, Baseline).GapTest);
    }

    [Fact]
    public void TheMarkdownShowsChangesOfMetricsOnly()
    {
        var report = EvaluationReport.Create([Baseline, Gee], "baseline", new Dictionary<string, long>(), new Dictionary<string, string>());
        var lines = ReportMarkdown.Render(report).Split('\n');

        Assert.Contains("| gap | 1.7500 | 0.3750 (−1.3750) |", lines);
        Assert.Contains("| H[male] | 1.2500 | 1.7500 (+0.5000) |", lines);
        Assert.Single(lines, l => l.StartsWith("| t statistic |", StringComparison.Ordinal) && !l.Contains('('));
        Assert.Single(lines, l => l.StartsWith("| gap CI low |", StringComparison.Ordinal) && !l.Contains('('));
        Assert.Contains("| p (gap change, sign flip) | — | 0.1250 |", lines);
    }

    [Fact]
    public void WinoBiasAndWinogenderAreNamedAsTheLikelihoodProxiesTheyAre()
    {
        var model = new ModelEvaluation("m", "m", "m",
        [
            new BenchmarkResult("winobias", new Dictionary<string, double> { ["pct_pro_more_likely"] = 60 }, 4, "a"),
            new BenchmarkResult("winogender", new Dictionary<string, double> { ["pct_male_more_likely"] = 55 }, 4, "b"),
        ]);
        var lines = ReportMarkdown.Render(EvaluationReport.Create([model], null, new Dictionary<string, long>(), new Dictionary<string, string>())).Split('\n');

        Assert.Contains(lines, l => l.StartsWith("WinoBias, likelihood proxy:", StringComparison.Ordinal) && l.Contains("not the paper's coreference F1"));
        Assert.Contains(lines, l => l.StartsWith("Winogender, likelihood proxy:", StringComparison.Ordinal));
    }
}
