using System.Globalization;
using System.Text;
using OneShotGee.Evaluation.Reports;

namespace OneShotGee.Experiments;

/// <summary>Per model and setting: means ± sample standard deviations over the seeds, as <see cref="SeedSpread"/>s and a markdown table.</summary>
public static class SummaryTable
{
    public static IReadOnlyList<SeedSpread> Spreads(IReadOnlyList<ExperimentRow> rows) =>
        [.. rows.GroupBy(r => (r.Model, r.Setting)).Select(g =>
        {
            var runs = g.ToList();
            var setting = g.Key.Setting;
            return new SeedSpread(g.Key.Model, setting.Method, setting.Lambda, setting.KlCoef, setting.LearningRate, setting.Steps,
                [.. runs.Select(r => r.Seed)], Of(runs, r => r.GapReduction), Of(runs, r => r.PerplexityChange),
                OfOptional(runs, r => r.AccuracyChange), OfOptional(runs, r => r.GenderedPerplexityChange));
        })];

    public static string Markdown(IReadOnlyList<ExperimentRow> rows, ExperimentOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine($"Seeds {string.Join(", ", rows.Select(r => r.Seed).Distinct().Order())}; {string.Join("/", rows.Select(r => r.Setting.Steps).Distinct())} steps, " +
            $"effective batch {options.EffectiveBatch}, micro-batch {options.MicroBatch}, {options.MaxNewTokens} new tokens; held-out: {options.HeldOutPairs} pairs × {options.Samples} samples.");
        var spreads = Spreads(rows);
        foreach (var model in rows.GroupBy(r => r.Model))
        {
            var before = model.First().Before;
            text.AppendLine().AppendLine($"#### {model.Key} (base: gap {before.Gap:F3}, H male {before.HMale:F3}, H female {before.HFemale:F3}, " +
                $"neutral perplexity {before.Perplexity:F3}{(before.Accuracy is { } a ? $", task accuracy {100 * a:F1} %" : "")}" +
                $"{(before.GenderedPerplexity is { } g ? $", gendered perplexity {g:F3}" : "")})");
            text.AppendLine().AppendLine("| method | λ | β | lr | gap reduction | Δ perplexity (neutral) | Δ task accuracy (points) | Δ perplexity (gendered) | seconds/run |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var spread in spreads.Where(s => s.Model == model.Key))
            {
                var seconds = model.Where(r => r.Setting.Lambda == spread.Lambda && r.Setting.KlCoef == spread.KlCoef && r.Setting.LearningRate == spread.LearningRate)
                    .Average(r => r.Seconds);
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {spread.Method} | {spread.Lambda:G3} | {spread.KlCoef:G3} | {spread.LearningRate:G3} | {Percent(spread.GapReduction, "F0")} | {Percent(spread.PerplexityChange, "F1")} | {Percent(spread.AccuracyChange, "F1", "")} | {Percent(spread.GenderedPerplexityChange, "F1")} | {seconds:F1} |"));
            }
        }
        foreach (var model in rows.GroupBy(r => r.Model)) PerSeedComparison(text, [.. model]);
        return text.ToString();
    }

    /// <summary>
    /// Per learning rate: each other setting's held-out gap against EM's, seed by seed (EM − setting, nats), and the
    /// number of seeds where the setting's gap is the smaller, counted from the same differences.
    /// </summary>
    static void PerSeedComparison(StringBuilder text, IReadOnlyList<ExperimentRow> rows)
    {
        text.AppendLine().AppendLine($"Per-seed gap differences on {rows[0].Model}, EM − setting (nats, seeds in order); positive: the setting's gap is smaller.").AppendLine();
        foreach (var lr in rows.GroupBy(r => r.Setting.LearningRate))
        {
            var em = lr.Where(r => r.Setting.Lambda == 0 && r.Setting.KlCoef == 0).ToDictionary(r => r.Seed, r => r.After.Gap);
            foreach (var setting in lr.Where(r => r.Setting.Lambda > 0).GroupBy(r => r.Setting))
            {
                var differences = setting.Where(r => em.ContainsKey(r.Seed)).OrderBy(r => r.Seed).Select(r => em[r.Seed] - r.After.Gap).ToList();
                if (differences.Count == 0) continue;
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"- {setting.Key.Name}: {string.Join(", ", differences.Select(d => Math.Round(d, 3).ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture)))} — smaller in {differences.Count(d => d > 0)} of {differences.Count}"));
            }
        }
    }

    /// <summary>"mean ± sd" of a fraction in percent (or points), as docs/experiments.md and the demo print it.</summary>
    public static string Percent(MeanSd? value, string format, string unit = " %") => value is null ? "–"
        : $"{(100 * value.Mean).ToString(format, CultureInfo.InvariantCulture)} ± {(100 * value.Sd).ToString(format, CultureInfo.InvariantCulture)}{unit}";

    static MeanSd Of(IReadOnlyList<ExperimentRow> rows, Func<ExperimentRow, double> value) => MeanSd.Of([.. rows.Select(value)]);

    static MeanSd? OfOptional(IReadOnlyList<ExperimentRow> rows, Func<ExperimentRow, double?> value) =>
        rows.All(r => value(r) is not null) ? MeanSd.Of([.. rows.Select(r => value(r)!.Value)]) : null;
}
