using System.Globalization;
using System.Text;

namespace OneShotGee.Experiments;

/// <summary>Per model and method: means ± sample standard deviations over the seeds, as a markdown table.</summary>
public static class SummaryTable
{
    public static string Markdown(IReadOnlyList<ExperimentRow> rows, ExperimentOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine($"Seeds {string.Join(", ", options.Seeds)}; {options.Steps} steps, effective batch {options.EffectiveBatch}, " +
            $"micro-batch {options.MicroBatch}, lr {options.LearningRate:G3}, {options.MaxNewTokens} new tokens; " +
            $"held-out: {options.HeldOutPairs} pairs × {options.Samples} samples.");
        foreach (var model in rows.GroupBy(r => r.Model))
        {
            var before = model.First().Before;
            text.AppendLine().AppendLine($"### {model.Key} (base: gap {before.Gap:F3}, H̄ {before.HBar:F3}, " +
                $"H male {before.HMale:F3}, H female {before.HFemale:F3}, perplexity {before.Perplexity:F3})");
            text.AppendLine().AppendLine("| method | gap after | gap reduction | H̄ after | H male | H female | perplexity change | seconds/run |");
            text.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var method in model.GroupBy(r => r.Method))
                text.AppendLine($"| {method.Key} | {Stat(method, r => r.After.Gap, "F3")} | {Stat(method, r => 100 * r.GapReduction, "F0")} % | " +
                    $"{Stat(method, r => r.After.HBar, "F3")} | {Stat(method, r => r.After.HMale, "F3")} | {Stat(method, r => r.After.HFemale, "F3")} | " +
                    $"{Stat(method, r => 100 * r.PerplexityChange, "F1")} % | {method.Average(r => r.Seconds):F0} |");
        }
        return text.ToString();
    }

    static string Stat(IEnumerable<ExperimentRow> rows, Func<ExperimentRow, double> value, string format)
    {
        var values = rows.Select(value).ToArray();
        var mean = values.Average();
        var sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return $"{mean.ToString(format, CultureInfo.InvariantCulture)} ± {sd.ToString(format, CultureInfo.InvariantCulture)}";
    }
}
