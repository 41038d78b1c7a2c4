using System.Globalization;
using OneShotGee.Pipeline;
using Spectre.Console;

namespace OneShotGee.Cli.Commands;

/// <summary>
/// The side-by-side summary a run ends with: H per group, H̄ (and with more than two groups the variance of the H),
/// gap before/after, reduction, the change of the held-out perplexity,
/// and when measured, the task accuracy and the change of the gendered text's perplexity.
/// </summary>
static class RunSummaryTable
{
    /// <param name="subsets">Notes for the numbers that come from a subset (<see cref="RunSummary.Subsets"/>), printed under the table.</param>
    public static void Write(TextWriter output, IReadOnlyList<RunSummaryRow> rows, IReadOnlyList<string>? subsets = null)
    {
        var groups = rows.SelectMany(r => r.GroupEntropies.Keys).Distinct().ToList();
        var table = new Table().AddColumn("model");
        foreach (var group in groups) table.AddColumn(new TableColumn(Markup.Escape($"H[{group}]")).RightAligned());
        var hasTask = rows.Any(r => r.TaskAccuracy is not null);
        var hasGendered = rows.Any(r => r.GenderedPerplexityChange is not null);
        var hasVariance = rows.Any(r => r.Variance is not null);
        string[] columns = ["H̄", .. hasVariance ? new[] { "var" } : [], "gap [95% CI]", "gap reduction", "perplexity", "Δ perplexity", .. hasTask ? new[] { "task acc." } : [],
            .. hasGendered ? new[] { "Δ ppl gendered" } : []];
        foreach (var column in columns) table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        foreach (var row in rows)
        {
            var cells = new List<string> { row.Model };
            cells.AddRange(groups.Select(g => row.GroupEntropies.TryGetValue(g, out var h) ? F(h) : "–"));
            cells.Add(F(row.MeanEntropy));
            if (hasVariance) cells.Add(row.Variance is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "–");
            cells.Add($"{F(row.Gap)} [{F(row.GapLow)}, {F(row.GapHigh)}]");
            cells.Add(row.GapReduction is { } r ? Percent(r) : "–");
            cells.Add(row.Perplexity is { } p ? F(p) : "–");
            cells.Add(row.PerplexityChange is { } c ? Percent(c) : "–");
            if (hasTask) cells.Add(row.TaskAccuracy is { } a ? a.ToString("0.0%", CultureInfo.InvariantCulture) : "–");
            if (hasGendered) cells.Add(row.GenderedPerplexityChange is { } g ? Percent(g) : "–");
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = Math.Max(console.Profile.Width, 200); // a redirected stream reports 80 columns and would wrap every cell
        console.Write(table);
        foreach (var subset in subsets ?? []) output.WriteLine($"{subset} (a seeded random subset, not the whole set)");
    }

    static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
    static string Percent(double value) => value.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
}
