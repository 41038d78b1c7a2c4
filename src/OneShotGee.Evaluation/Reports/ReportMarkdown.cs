using System.Globalization;
using System.Text;

namespace OneShotGee.Evaluation.Reports;

/// <summary>
/// report.md: one table per benchmark with a row per metric and a column per model; with a baseline, other models'
/// cells also show the difference to it, e.g. <c>0.1234 (−0.0500)</c>.
/// </summary>
public static class ReportMarkdown
{
    public static string Render(EvaluationReport report, IReadOnlyList<string>? plotFiles = null)
    {
        var md = new StringBuilder();
        md.AppendLine("# OneShotGee evaluation report").AppendLine();
        md.AppendLine(Invariant($"Created {report.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC by OneShotGee {report.ToolVersion}."));
        if (report.Baseline is { } baseline) md.AppendLine($"Differences in parentheses are against the baseline `{baseline}`.");
        md.AppendLine();

        md.AppendLine("## Models").AppendLine().AppendLine("| model | source | model id |").AppendLine("|---|---|---|");
        foreach (var m in report.Models) md.AppendLine($"| {m.Name} | `{m.Source}` | `{m.ModelId[..Math.Min(16, m.ModelId.Length)]}` |");
        md.AppendLine();

        if (report.Models.Any(m => m.Paired is not null)) PairedSection(md, report);

        // The paired benchmark's metrics are in the detailed section when there is one.
        var hasPairedDetail = report.Models.Any(m => m.Paired is not null);
        foreach (var benchmark in report.Models.SelectMany(m => m.Benchmarks).Select(b => b.Benchmark).Distinct()
                     .Where(b => !(hasPairedDetail && b == Paired.PairedEntropyResult.Benchmark)))
        {
            var results = report.Models.Select(m => m.Benchmarks.FirstOrDefault(b => b.Benchmark == benchmark)).ToArray();
            md.AppendLine($"## {benchmark}").AppendLine().AppendLine(BenchmarkTitles.Of(benchmark) + ".").AppendLine();
            SubsetNote(md, report, results);
            var metrics = results.OfType<BenchmarkResult>().SelectMany(r => r.Metrics.Keys).Distinct().ToList();
            var overall = metrics.Where(m => BenchmarkResult.CategoryOf(m) is null);
            Table(md, report, MetricRows(results, overall.Select(m => (m, m)))
                .Append(("items", results.Select(r => (double?)r?.Items).ToArray(), false)));
            // Per-category metrics (BBQ's s_dis[Religion]) grouped under their category, one table each.
            foreach (var category in metrics.Select(BenchmarkResult.CategoryOf).OfType<(string Metric, string Category)>().GroupBy(c => c.Category).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                md.AppendLine($"### {benchmark}: {category.Key}").AppendLine();
                Table(md, report, MetricRows(results, category.Select(c => (c.Metric, $"{c.Metric}[{c.Category}]"))));
            }
        }

        md.AppendLine("## Data and seeds").AppendLine().AppendLine("| data | sha-256 |").AppendLine("|---|---|");
        foreach (var (name, sha) in report.Datasets) md.AppendLine($"| {name} | `{sha}` |");
        md.AppendLine().AppendLine("| seed | value |").AppendLine("|---|---|");
        foreach (var (name, seed) in report.Seeds) md.AppendLine(Invariant($"| {name} | {seed} |"));
        md.AppendLine();
        if (report.PairedPromptOverlap is { } overlap)
            md.AppendLine(Invariant($"Paired prompts also in the training data: {overlap}{(overlap == 0 ? " (held out)" : " (the gap is partly measured on trained prompts)")}.")).AppendLine();
        SettingsSection(md, report);

        if (plotFiles is { Count: > 0 })
        {
            md.AppendLine("## Plots").AppendLine();
            foreach (var file in plotFiles) md.AppendLine($"![{Path.GetFileNameWithoutExtension(file)}]({Path.GetFileName(file)})").AppendLine();
        }
        return md.ToString();
    }

    /// <summary>A row per metric: its label and the key it has in each result's metrics.</summary>
    static IEnumerable<(string, double?[], bool)> MetricRows(BenchmarkResult?[] results, IEnumerable<(string Label, string Key)> metrics) =>
        metrics.Select(m => (m.Label, results.Select(r => r?.Metrics.GetValueOrDefault(m.Key, double.NaN)).ToArray(), ModelComparison.IsMetric(m.Label)));

    static void PairedSection(StringBuilder md, EvaluationReport report)
    {
        var paired = report.Models.Select(m => m.Paired).ToArray();
        var first = paired.OfType<Paired.PairedEntropyResult>().First();
        var attributes = report.Attributes;
        md.AppendLine($"## Paired entropy gap{(attributes.Count == 1 ? $": {attributes[0].Lexicon}" : "")} ({first.PromptSet})").AppendLine();
        AttributeLines(md, report);
        var firstModel = report.Models.First(m => m.Paired is not null);
        var decoding = first.Greedy ? "greedy" : Invariant($"{first.SamplesPerPrompt} samples per prompt")
            + (firstModel.Settings?.PairedOptions is { } o && !first.Greedy ? Invariant($" at temperature {o.Temperature}, top-p {o.TopP}") : "");
        var subset = firstModel.Benchmarks.FirstOrDefault(b => b.Benchmark == Paired.PairedEntropyResult.Benchmark)?.Subset is { } s ? $" ({s})" : "";
        md.AppendLine(Invariant($"Mean generated-token entropy (nats) per group over {first.PerPair.Count} prompt pairs{subset}, {decoding}, ≤ {first.MaxNewTokens} new tokens; {first.GapInterval.Level * 100:0}% bootstrap interval over pairs; paired tests {first.Test.GroupA} vs {first.Test.GroupB}.")).AppendLine();
        var rows = new List<(string, double?[], bool)>();
        foreach (var group in paired.OfType<Paired.PairedEntropyResult>().SelectMany(p => p.Groups).Distinct())
            rows.Add(($"H[{group}]", paired.Select(p => p?.GroupEntropies.GetValueOrDefault(group, double.NaN)).ToArray(), true));
        rows.Add(("gap", paired.Select(p => p?.Gap).ToArray(), true));
        if (first.Variance is not null) rows.Add(("variance of H[g]", paired.Select(p => p?.Variance).ToArray(), true));
        rows.Add(("gap CI low", paired.Select(p => p?.GapInterval.Low).ToArray(), false));
        rows.Add(("gap CI high", paired.Select(p => p?.GapInterval.High).ToArray(), false));
        if (first.SignedGap is not null) rows.Add(($"signed gap ({first.Groups[0]} − {first.Groups[1]})", paired.Select(p => p?.SignedGap).ToArray(), true));
        rows.Add(("mean difference", paired.Select(p => p?.Test.MeanDifference).ToArray(), false));
        rows.Add(("t statistic", paired.Select(p => p?.Test.TStatistic).ToArray(), false));
        rows.Add(("p (paired t)", paired.Select(p => p?.Test.TPValue).ToArray(), false));
        rows.Add(("p (sign flip)", paired.Select(p => p?.Test.PermutationPValue).ToArray(), false));
        foreach (var group in first.Groups)
            rows.Add(($"mean new tokens [{group}]", paired.Select(p => p?.MeanGeneratedTokens.GetValueOrDefault(group, double.NaN)).ToArray(), true));
        rows.Add(("items", paired.Select(p => (double?)p?.PerPair.Count).ToArray(), false));
        var comparisons = report.Comparisons;
        if (report.Baseline is not null)
        {
            ModelComparison? Of(ModelEvaluation m) => comparisons.FirstOrDefault(c => c.Model == m.Name);
            rows.Add(("gap reduction vs baseline", report.Models.Select(m => Of(m)?.GapReduction).ToArray(), false));
            if (comparisons.Any(c => c.GapTest is not null))
            {
                var direction = comparisons.First(c => c.GapTest is not null).GapTest!.Direction;
                rows.Add(($"signed change of {direction} vs baseline, per pair", report.Models.Select(m => Of(m)?.GapTest?.MeanChange).ToArray(), false));
                rows.Add(("p (gap change, paired t)", report.Models.Select(m => Of(m)?.GapTest?.TPValue).ToArray(), false));
                rows.Add(("p (gap change, sign flip)", report.Models.Select(m => Of(m)?.GapTest?.PermutationPValue).ToArray(), false));
            }
        }
        Table(md, report, rows);
    }

    /// <summary>Says which attribute the groups below belong to, so that a report on religion does not read as one on gender.</summary>
    static void AttributeLines(StringBuilder md, EvaluationReport report)
    {
        static string Describe(AttributeGroups? a) => a is null
            ? "groups not named by an attribute (a paired prompt file read without `--attribute`, or measured before reports named attributes)"
            : $"attribute **{a.Name}** (lexicon `{a.Lexicon}`, id `{a.LexiconId}`), groups {string.Join(", ", a.Groups)}";
        var measured = report.Models.Where(m => m.Paired is not null).Select(m => (m.Name, m.Paired!.Attribute)).ToList();
        if (measured.DistinctBy(m => m.Attribute?.LexiconId).Count() == 1)
        {
            var text = Describe(measured[0].Attribute);
            md.AppendLine(char.ToUpperInvariant(text[0]) + text[1..] + ".");
        }
        else
            foreach (var (model, attribute) in measured) md.AppendLine($"- {model}: {Describe(attribute)}");
        md.AppendLine();
    }

    /// <summary>Says which models' numbers come from a seeded subset, so a reader never takes them for the whole benchmark.</summary>
    static void SubsetNote(StringBuilder md, EvaluationReport report, BenchmarkResult?[] results)
    {
        var subsets = results.Select((r, i) => (Model: report.Models[i].Name, r?.Subset)).Where(s => s.Subset is not null).ToList();
        if (subsets.Count == 0) return;
        if (subsets.Count == results.Count(r => r is not null) && subsets.DistinctBy(s => s.Subset).Count() == 1)
            md.AppendLine($"Scored on a seeded random {subsets[0].Subset}, not the whole benchmark.");
        else
            foreach (var (model, text) in subsets) md.AppendLine($"- {model}: scored on a seeded random {text}");
        md.AppendLine();
    }

    static void SettingsSection(StringBuilder md, EvaluationReport report)
    {
        if (report.Models.All(m => m.Settings is null)) return;
        md.AppendLine("## Settings").AppendLine().AppendLine("| model | items | paired decoding | task max new tokens |").AppendLine("|---|---|---|---|");
        foreach (var m in report.Models)
        {
            if (m.Settings is not { } s) { md.AppendLine($"| {m.Name} | — | — | — |"); continue; }
            var items = s.Limit is { } limit ? Invariant($"limit {limit}, seed {s.LimitSeed}") : "all";
            var p = s.PairedOptions;
            var decoding = p.IsGreedy ? Invariant($"greedy, ≤ {p.MaxNewTokens} new tokens")
                : Invariant($"{p.SamplesPerPrompt} samples, temperature {p.Temperature}, top-p {p.TopP}, ≤ {p.MaxNewTokens} new tokens, seed {p.Seed}");
            var tasks = s.TaskMaxNewTokens.Count == 0 ? "—" : string.Join(", ", s.TaskMaxNewTokens.Select(t => Invariant($"{t.Key} {t.Value}")));
            md.AppendLine($"| {m.Name} | {items} | {decoding} | {tasks} |");
        }
        md.AppendLine();
    }

    /// <summary>One row per number; a metric's cells show their change against the baseline, a statistic's do not.</summary>
    static void Table(StringBuilder md, EvaluationReport report, IEnumerable<(string Label, double?[] Values, bool IsMetric)> rows)
    {
        var baseIndex = report.Models.ToList().FindIndex(m => m.Name == report.Baseline);
        md.Append("| metric |");
        foreach (var m in report.Models) md.Append($" {m.Name} |");
        md.AppendLine().Append("|---|");
        foreach (var _ in report.Models) md.Append("---:|");
        md.AppendLine();
        foreach (var (label, values, isMetric) in rows)
        {
            md.Append($"| {label} |");
            for (var i = 0; i < values.Length; i++)
            {
                var cell = Format(values[i]);
                if (isMetric && baseIndex >= 0 && i != baseIndex && values[i] is { } v && values[baseIndex] is { } b && double.IsFinite(v) && double.IsFinite(b))
                    cell += $" ({Signed(v - b)})";
                md.Append($" {cell} |");
            }
            md.AppendLine();
        }
        md.AppendLine();
    }

    static string Format(double? value) => value switch
    {
        null => "—",
        { } v when double.IsNaN(v) => "n/a",
        { } v => Magnitude(v),
    };

    static string Signed(double d) => (d >= 0 ? "+" : "−") + Magnitude(Math.Abs(d));

    /// <summary>Whole numbers as such, tiny values (p-values) in scientific notation, the rest with four decimals.</summary>
    static string Magnitude(double v) =>
        v == Math.Round(v) && Math.Abs(v) < 1e9 ? Invariant($"{v:0}")
        : Math.Abs(v) < 1e-4 ? Invariant($"{v:0.0e+00}")
        : Invariant($"{v:0.0000}");

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
