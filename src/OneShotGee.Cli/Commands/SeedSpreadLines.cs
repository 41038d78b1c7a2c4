using System.Globalization;
using OneShotGee.Evaluation.Reports;

namespace OneShotGee.Cli.Commands;

/// <summary>Under the demo's table: the same settings over other training seeds (mean ± sd), so one run is seen against its spread.</summary>
static class SeedSpreadLines
{
    /// <param name="source">The document that says how the spread was measured.</param>
    public static void Write(TextWriter output, IReadOnlyDictionary<string, SeedSpread> spreads, string source)
    {
        if (spreads.Count == 0) return;
        var seeds = spreads.Values.First().Seeds;
        output.WriteLine($"The same settings over training seeds {string.Join(",", seeds)} ({source}), mean ± sd:");
        foreach (var (variant, spread) in spreads)
            output.WriteLine($"  {variant,-4} gap reduction {Percent(spread.GapReduction, "0")}, Δ perplexity {Percent(spread.PerplexityChange, "0.0")}" +
                (spread.AccuracyChange is { } a ? $", Δ task accuracy {Points(a)}" : "") +
                (spread.GenderedPerplexityChange is { } g ? $", Δ ppl gendered {Percent(g, "0.0")}" : ""));
    }

    static string Percent(MeanSd value, string digits) => $"{Signed(value.Mean, digits)} ± {(100 * value.Sd).ToString(digits, CultureInfo.InvariantCulture)} %";

    static string Points(MeanSd value) => $"{Signed(value.Mean, "0.0")} ± {(100 * value.Sd).ToString("0.0", CultureInfo.InvariantCulture)} points";

    static string Signed(double fraction, string digits) => (100 * fraction).ToString($"+{digits};-{digits};{digits}", CultureInfo.InvariantCulture);
}
