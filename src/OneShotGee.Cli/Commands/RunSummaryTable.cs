using System.Globalization;
using OneShotGee.Pipeline;
using Spectre.Console;

namespace OneShotGee.Cli.Commands;

/// <summary>The side-by-side summary a run ends with: gap before/after, reduction, H̄, perplexity change.</summary>
static class RunSummaryTable
{
    /// <param name="subsets">Notes for the numbers that come from a subset (<see cref="RunSummary.Subsets"/>), printed under the table.</param>
    public static void Write(TextWriter output, IReadOnlyList<RunSummaryRow> rows, IReadOnlyList<string>? subsets = null)
    {
        var groups = rows.SelectMany(r => r.GroupEntropies.Keys).Distinct().ToList();
        var table = new Table().AddColumn("model");
        foreach (var group in groups) table.AddColumn(new TableColumn(Markup.Escape($"H[{group}]")).RightAligned());
        foreach (var column in new[] { "H̄", "gap [95% CI]", "gap reduction", "perplexity", "Δ perplexity" })
            table.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        foreach (var row in rows)
        {
            var cells = new List<string> { row.Model };
            cells.AddRange(groups.Select(g => row.GroupEntropies.TryGetValue(g, out var h) ? F(h) : "–"));
            cells.Add(F(row.MeanEntropy));
            cells.Add($"{F(row.Gap)} [{F(row.GapLow)}, {F(row.GapHigh)}]");
            cells.Add(row.GapReduction is { } r ? Percent(r) : "–");
            cells.Add(row.Perplexity is { } p ? F(p) : "–");
            cells.Add(row.PerplexityChange is { } c ? Percent(c) : "–");
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = Math.Max(console.Profile.Width, 132); // a redirected stream reports 80 columns and would wrap every cell
        console.Write(table);
        foreach (var subset in subsets ?? []) output.WriteLine($"{subset} (a seeded random subset, not the whole set)");
    }

    static string F(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
    static string Percent(double value) => value.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
}
