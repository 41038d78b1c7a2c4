using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;

namespace OneShotGee.Evaluation.Tests.Reports;

/// <summary>A hand-made three-model report (baseline, em, gee) with paired detail, retention numbers and two training runs.</summary>
static class ReportFixture
{
    static PairedEntropyResult Paired(double male, double female) => PairedEntropyResult.From(
        "winogender-templates", "abc123", ["male", "female"],
        [.. Enumerable.Range(0, 6).Select(i => new PairEntropies($"p{i}", [male + 0.01 * i, female + 0.02 * (i % 3)]))],
        new Dictionary<string, double> { ["male"] = 12, ["female"] = 11.5 }, new PairedEntropyOptions { BootstrapResamples = 100 });

    static ModelEvaluation Model(string name, double male, double female, double ppl, double accuracy)
    {
        var paired = Paired(male, female);
        return new ModelEvaluation(name, $"/models/{name}", $"{name}-id-0123456789abcdef", [
            paired.ToBenchmarkResult(),
            new BenchmarkResult("perplexity", new Dictionary<string, double> { ["perplexity"] = ppl, ["nll_per_token"] = Math.Log(ppl), ["tokens"] = 1000 }, 10, "pplsha"),
            new BenchmarkResult("gsm8k", new Dictionary<string, double> { ["accuracy"] = accuracy, ["correct"] = accuracy * 20 }, 20, "gsmsha"),
        ], paired);
    }

    public static EvaluationReport Create(IReadOnlyList<TrainingRun> runs) => EvaluationReport.Create(
        [Model("baseline", 2.0, 1.6, 12.5, 0.35), Model("em", 1.5, 1.3, 12.9, 0.40), Model("gee", 1.45, 1.42, 12.7, 0.45)],
        "baseline",
        new Dictionary<string, long> { ["paired"] = 15, ["bootstrap"] = 15 },
        new Dictionary<string, string> { ["winogender-templates"] = "abc123", ["gsm8k_test.jsonl"] = "gsmsha" },
        runs);

    /// <summary>Lines in the trainer's metrics.jsonl shape (with keys the report does not use).</summary>
    public static string MetricsJsonl(int steps, double gap0, double femaleSlope) => string.Join("\n", Enumerable.Range(1, steps).Select(s =>
        FormattableString.Invariant(
            $"{{\"step\":{s},\"loss\":{3.0 - 0.1 * s},\"loss_em\":{2.9 - 0.1 * s},\"loss_bias\":0.1,\"h_bar\":{2.0 - 0.05 * s},\"h_g\":{{\"male\":{2.1 - 0.05 * s},\"female\":{1.9 - femaleSlope * s}}},\"entropy_gap\":{gap0 / s},\"lambda\":{0.1 * s},\"grad_norm\":1.5,\"lr\":1e-5,\"step_seconds\":0.3}}")));
}
