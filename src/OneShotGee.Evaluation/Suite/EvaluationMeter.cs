using System.Diagnostics;
using System.Diagnostics.Metrics;
using OneShotGee.Core.Telemetry;

namespace OneShotGee.Evaluation.Suite;

/// <summary>
/// Evaluation results on the "OneShotGee" meter, labelled with the current <see cref="RunLabels"/> (the variant is
/// the evaluated model: <c>baseline</c> or a trained variant): every metric of every benchmark as a gauge with
/// <c>benchmark</c> and <c>metric</c> labels, and how long each benchmark took.
/// </summary>
public static class EvaluationMeter
{
    static readonly Gauge<double> MetricValue = GeeTelemetry.Meter.CreateGauge<double>("oneshotgee.eval.metric_value", null,
        "A benchmark metric of the evaluated model (e.g. pct_stereotype, ss, accuracy, perplexity), as in report.json");
    static readonly Gauge<long> Items = GeeTelemetry.Meter.CreateGauge<long>("oneshotgee.eval.items", "{item}",
        "Items (pairs, sentences, questions) a benchmark scored");
    static readonly Histogram<double> Duration = GeeTelemetry.Meter.CreateHistogram("oneshotgee.eval.duration", "s",
        "Wall time of one benchmark on one model", advice: GeeTelemetry.SecondsBuckets);

    public static void Record(BenchmarkResult result, double seconds)
    {
        var tags = RunLabels.CurrentTags();
        tags.Add("benchmark", result.Benchmark);
        Items.Record(result.Items, tags);
        Duration.Record(seconds, tags);
        foreach (var (metric, value) in result.Metrics)
        {
            var metricTags = tags;
            metricTags.Add("metric", metric);
            MetricValue.Record(value, metricTags);
        }
    }
}
