using OneShotGee.Evaluation.Reports;
using ScottPlot;

namespace OneShotGee.Experiments;

/// <summary>
/// Gap reduction against the change of neutral perplexity, one point per setting (mean over seeds, ± 1 sd bars), a
/// colour per method, the settings no other beats on both axes joined: the frontier of docs/experiments.md.
/// </summary>
public static class ParetoPlot
{
    public static void Write(string path, string model, IReadOnlyList<SeedSpread> spreads)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var methods = spreads.Select(s => s.Method).Distinct().Order().ToList();
        foreach (var (method, index) in methods.Select((m, i) => (m, i)))
        {
            var points = spreads.Where(s => s.Method == method).ToList();
            double[] xs = [.. points.Select(s => 100 * s.PerplexityChange.Mean)], ys = [.. points.Select(s => 100 * s.GapReduction.Mean)];
            double[] xErrors = [.. points.Select(s => 100 * s.PerplexityChange.Sd)];
            var error = plot.Add.ErrorBar(xs, ys, [.. points.Select(s => 100 * s.GapReduction.Sd)]);
            error.XErrorPositive = xErrors;
            error.XErrorNegative = xErrors;
            error.Color = palette.GetColor(index).WithAlpha(0.5);
            var markers = plot.Add.ScatterPoints(xs, ys, palette.GetColor(index));
            markers.MarkerSize = 8;
            markers.LegendText = method;
        }
        var frontier = Frontier(spreads);
        double[] frontierXs = [.. frontier.Select(s => 100 * s.PerplexityChange.Mean)], frontierYs = [.. frontier.Select(s => 100 * s.GapReduction.Mean)];
        var line = plot.Add.ScatterLine(frontierXs, frontierYs, Colors.Gray);
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = "frontier";
        plot.Title($"{model}: gap reduction vs neutral perplexity change (mean ± sd over seeds)");
        plot.XLabel("Δ perplexity on neutral held-out text (%)");
        plot.YLabel("gap reduction (%)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 800, 500);
    }

    /// <summary>The settings that no other setting beats in both mean gap reduction and mean perplexity change, by perplexity change.</summary>
    public static IReadOnlyList<SeedSpread> Frontier(IReadOnlyList<SeedSpread> spreads) =>
        [.. spreads.Where(s => !spreads.Any(o => o != s && o.GapReduction.Mean >= s.GapReduction.Mean && o.PerplexityChange.Mean <= s.PerplexityChange.Mean
                && (o.GapReduction.Mean > s.GapReduction.Mean || o.PerplexityChange.Mean < s.PerplexityChange.Mean)))
            .OrderBy(s => s.PerplexityChange.Mean)];
}
