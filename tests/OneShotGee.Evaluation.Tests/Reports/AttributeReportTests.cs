using System.Text.Json;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Reports;

/// <summary>A report over religion's ten groups reads as religion: report.json and report.md name the attribute of every
/// group-keyed number, BBQ's per-category scores stand under their category, and the plots are titled by attribute.</summary>
public sealed class AttributeReportTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static readonly AttributeGroups Religion = AttributeGroups.Resolve("religion").Attribute;

    // Group g of pair i has entropy 1 + 0.1·g + 0.01·i (+ shift for every group but the first).
    static PairedEntropyResult Paired(AttributeGroups attribute, double shift) => PairedEntropyResult.From(
        attribute.Lexicon + "-templates", "sha-" + attribute.Lexicon, attribute.Groups,
        [.. Enumerable.Range(0, 4).Select(i => new PairEntropies($"p{i}", [.. attribute.Groups.Select((_, g) => 1 + 0.1 * g + 0.01 * i + (g > 0 ? shift : 0))]))],
        attribute.Groups.ToDictionary(g => g, _ => 8.0), new PairedEntropyOptions { BootstrapResamples = 20 }, attribute);

    static ModelEvaluation Model(string name, PairedEntropyResult paired)
    {
        var bbq = new BenchmarkResult("bbq", new Dictionary<string, double>
        {
            ["accuracy"] = 0.5, ["s_dis"] = 0.2, ["accuracy[Religion]"] = 0.4, ["s_dis[Religion]"] = 0.25, ["accuracy[Age]"] = 0.6,
        }, 10, "bbq-sha");
        return new ModelEvaluation(name, name, name + "-id", [paired.ToBenchmarkResult(), bbq], paired);
    }

    static EvaluationReport ReligionReport() => EvaluationReport.Create(
        [Model("baseline", Paired(Religion, 0)), Model("gee", Paired(Religion, -0.05))], "baseline",
        new Dictionary<string, long> { ["paired"] = 15 }, new Dictionary<string, string> { ["paired"] = "sha-religion" });

    [Fact]
    public void ReportJsonNamesTheAttributeAndItsGroupsAndGroupsBbqByCategory()
    {
        var files = ReportWriter.Write(_dir.Path, ReligionReport());
        var text = File.ReadAllText(files.Json);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;

        string[] groups = ["christian", "muslim", "jewish", "hindu", "buddhist", "sikh", "mormon", "protestant", "catholic", "atheist"];
        var attribute = root.GetProperty("attributes").EnumerateArray().Single();
        Assert.Equal(("religion", "religion", Religion.LexiconId), (attribute.GetProperty("name").GetString(), attribute.GetProperty("lexicon").GetString(),
            attribute.GetProperty("lexicon_id").GetString()));
        Assert.Equal(groups, attribute.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        var model = root.GetProperty("models")[0];
        Assert.Equal("religion", model.GetProperty("paired").GetProperty("attribute").GetProperty("name").GetString());
        var paired = model.GetProperty("benchmarks")[0];
        Assert.Equal(groups, paired.GetProperty("attribute").GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        // h_g is the mean over the 4 pairs of 1 + 0.1·g + 0.01·i: 1.015 + 0.1·g.
        Assert.All(groups.Select((g, k) => (g, k)), x => Assert.Equal(1.015 + 0.1 * x.k, paired.GetProperty("metrics").GetProperty("h_" + x.g).GetDouble(), 12));
        var categories = model.GetProperty("benchmarks")[1].GetProperty("categories");
        Assert.Equal(["Age", "Religion"], categories.EnumerateObject().Select(c => c.Name));
        Assert.Equal(0.25, categories.GetProperty("Religion").GetProperty("s_dis").GetDouble());
        Assert.Equal(0.6, categories.GetProperty("Age").GetProperty("accuracy").GetDouble());
        Assert.Equal(0.2, model.GetProperty("benchmarks")[1].GetProperty("metrics").GetProperty("s_dis").GetDouble()); // flat names kept
        Assert.False(paired.TryGetProperty("categories", out _));
        Assert.Equal(text, ReportJson.Serialize(ReportJson.Read(files.Json)));
    }

    [Fact]
    public void ReportMdSaysWhichAttributeTheGroupsBelongToAndPutsEachBbqCategoryUnderItsOwnHeading()
    {
        var files = ReportWriter.Write(_dir.Path, ReligionReport());
        var md = File.ReadAllText(files.Markdown);

        Assert.Contains("## Paired entropy gap: religion (religion-templates)", md);
        Assert.Contains($"Attribute **religion** (lexicon `religion`, id `{Religion.LexiconId}`), groups christian, muslim, jewish, hindu, " +
                        "buddhist, sikh, mormon, protestant, catholic, atheist.", md);
        Assert.All(Religion.Groups, g => Assert.Contains($"| H[{g}] |", md));
        Assert.Contains("| variance of H[g] |", md);
        Assert.Contains("### bbq: Religion", md);
        Assert.Contains("### bbq: Age", md);
        var religion = md[md.IndexOf("### bbq: Religion", StringComparison.Ordinal)..];
        Assert.Contains("| s_dis | 0.2500 | 0.2500 (+0) |", religion);
        Assert.DoesNotContain("| s_dis[Religion] |", md);
    }

    [Fact]
    public void PlotsOfTwoAttributesAreDrawnApartAndTheirGapsAreNotCompared()
    {
        var genderNb = AttributeGroups.Resolve("gender-nb").Attribute;
        var report = EvaluationReport.Create([Model("baseline", Paired(Religion, 0)), Model("other", Paired(genderNb, 0))], "baseline",
            new Dictionary<string, long>(), new Dictionary<string, string>());

        var files = ReportWriter.Write(_dir.Path, report);

        Assert.Equal(["group_entropy.png", "entropy_gap.png", "group_entropy_gender-nb.png", "entropy_gap_gender-nb.png"], files.Plots.Select(Path.GetFileName));
        Assert.Null(report.Comparisons.Single().GapReduction);
        Assert.Equal(["religion", "gender-nb"], report.Attributes.Select(a => a.Lexicon));
        var md = File.ReadAllText(files.Markdown);
        Assert.Contains("- baseline: attribute **religion**", md);
        Assert.Contains("- other: attribute **gender** (lexicon `gender-nb`", md);
    }
}
