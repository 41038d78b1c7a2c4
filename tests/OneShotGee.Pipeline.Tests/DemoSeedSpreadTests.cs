using System.Globalization;
using System.Text.RegularExpressions;
using OneShotGee.Pipeline;

namespace OneShotGee.Pipeline.Tests;

/// <summary>The spread the demo prints (embedded DemoSeedSpread.json) is the demo table of docs/experiments.md, row for row.</summary>
public sealed partial class DemoSeedSpreadTests
{
    [Fact]
    public void TheEmbeddedSpreadIsTheDemoTableOfTheExperimentsDoc()
    {
        var doc = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "docs", "experiments.md"));
        var table = doc[doc.IndexOf("#### demo (base:", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", table.IndexOf("| method", StringComparison.Ordinal), StringComparison.Ordinal)];
        var rows = Row().Matches(table).Select(m => m.Groups).ToList();

        Assert.NotEmpty(rows);
        Assert.Equal(rows.Count, DemoSeedSpread.All.Count);
        foreach (var row in rows)
        {
            var spread = DemoSeedSpread.For(Number(row["lambda"].Value), Number(row["beta"].Value), Number(row["lr"].Value), DemoRun.Steps);
            Assert.NotNull(spread);
            Assert.Equal(row["method"].Value, spread.Method);
            Assert.Equal(row["gap"].Value, $"{Percent(spread.GapReduction.Mean, "F0")} ± {Percent(spread.GapReduction.Sd, "F0")}");
            Assert.Equal(row["ppl"].Value, $"{Percent(spread.PerplexityChange.Mean, "F1")} ± {Percent(spread.PerplexityChange.Sd, "F1")}");
            Assert.Equal(row["acc"].Value, $"{Percent(spread.AccuracyChange!.Mean, "F1")} ± {Percent(spread.AccuracyChange.Sd, "F1")}");
        }
    }

    [Fact]
    public void TheDemosOwnSettingsAreInTheGrid()
    {
        var spreads = DemoSeedSpread.ForDemo(DemoRun.KlCoef);

        Assert.Equal(["em", "gee"], spreads.Keys.Order());
        Assert.True(spreads["gee"].Seeds.Count >= 5, "the spread is over at least 5 seeds");
    }

    /// <summary>The gender-nb spread (embedded DemoSeedSpread.gender-nb.json) is the mean ± sd of the per-seed values that
    /// docs/demo-model.md lists for seeds 1–5, and the doc's last column prints it.</summary>
    [Fact]
    public void TheThreeGroupSpreadIsTheSeedTableOfTheDemoModelDoc()
    {
        var doc = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "docs", "demo-model.md"));
        var spreads = DemoSeedSpread.ForDemo(DemoRun.KlCoef, DemoSeedSpread.GenderNbAttribute);

        Assert.Equal(["em", "gee"], spreads.Keys.Order());
        foreach (var (method, spread) in spreads)
        {
            Assert.Equal([1, 2, 3, 4, 5], spread.Seeds);
            foreach (var (row, metric) in new[] { ("gap reduction", spread.GapReduction), ("Δ ppl gendered", spread.GenderedPerplexityChange!) })
            {
                var cells = SeedTableRow().Matches(doc).Single(m => m.Groups["row"].Value == $"{method.ToUpperInvariant()} {row}").Groups;
                // The doc's values are rounded to a tenth of a point: seed 15 first, then seeds 1–5.
                var values = cells["value"].Captures.Skip(1).Select(c => Number(c.Value) / 100).ToList();
                Assert.Equal(values.Average(), metric.Mean, 0.0005);
                Assert.Equal(Math.Sqrt(values.Sum(v => (v - values.Average()) * (v - values.Average())) / 4), metric.Sd, 0.0006);
                Assert.Equal($"{Percent(metric.Mean, "F1")} ± {Percent(metric.Sd, "F1")}", cells["spread"].Value.TrimStart('+'));
            }
            Assert.Equal(0, spread.AccuracyChange!.Mean);
        }
    }

    [Fact]
    public void AnAttributeNobodyMeasuredHasNoSpread() =>
        Assert.Empty(DemoSeedSpread.ForDemo(DemoRun.KlCoef, "my-lexicon.json"));

    [Fact]
    public void EveryPerSeedCountInTheExperimentsDocAgreesWithTheDifferencesItLists()
    {
        var doc = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "docs", "experiments.md"));
        var lines = PerSeedLine().Matches(doc).ToList();

        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var differences = line.Groups["differences"].Value.Split(", ").Select(d => Number(d.Replace('−', '-'))).ToList();
            Assert.True(int.Parse(line.Groups["smaller"].Value, CultureInfo.InvariantCulture) == differences.Count(d => d > 0), line.Value);
            Assert.True(int.Parse(line.Groups["of"].Value, CultureInfo.InvariantCulture) == differences.Count, line.Value);
        }
    }

    static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    static string Percent(double fraction, string format) => (100 * fraction).ToString(format, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\| (?<method>[a-z+]+) \| (?<lambda>[\d.]+) \| (?<beta>[\d.]+) \| (?<lr>[\d.e-]+) \| (?<gap>-?[\d.]+ ± [\d.]+) % \| (?<ppl>-?[\d.]+ ± [\d.]+) % \| (?<acc>-?[\d.]+ ± [\d.]+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"^\| (?<row>(?:GEE|EM) [^|]+?) (?:\| (?<value>[+-]?[\d.]+) % ){6}\| (?<spread>[+-]?[\d.]+ ± [\d.]+) % \|$", RegexOptions.Multiline)]
    private static partial Regex SeedTableRow();

    [GeneratedRegex(@": (?<differences>[+−-]?[\d.]+(?:, [+−-]?[\d.]+)+) — smaller in (?<smaller>\d+) of (?<of>\d+)")]
    private static partial Regex PerSeedLine();
}
