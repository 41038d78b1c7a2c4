using System.Text.Json;
using OneShotGee.Evaluation;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Likelihood;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;

namespace OneShotGee.Cli.Tests;

public sealed class EvaluateCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-cli-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly string Stories = Fixtures.PathOf("models/stories260k");

    [Fact]
    public async Task LikelihoodBenchmarksOnTheFixtureDataPrintWhatTheLibraryComputes()
    {
        var data = Fixtures.PathOf("data/bias");
        var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--benchmarks", "crows,winobias,winogender,stereoset,bbq",
            "--data-dir", data, "--device", "cpu", "--dtype", "float32", "--json"); // as the in-process scorer below

        Assert.True(result.ExitCode == 0, result.Error);
        using var report = JsonDocument.Parse(result.Output);
        var benchmarks = report.RootElement.GetProperty("models")[0].GetProperty("benchmarks").EnumerateArray().ToList();
        // Every item of the small fixture files, as every item is scored by default.
        Assert.Equal([("crows", 5), ("winobias", 6), ("winogender", 4), ("stereoset", 6), ("bbq", 10)],
            benchmarks.Select(b => (b.GetProperty("benchmark").GetString()!, b.GetProperty("items").GetInt32())));
        Assert.All(benchmarks, b => Assert.Equal(b.GetProperty("items").GetInt32(), b.GetProperty("items_total").GetInt32()));
        Assert.All(benchmarks, b => Assert.Equal(JsonValueKind.Null, b.GetProperty("subset_seed").ValueKind));
        var bbq = benchmarks.Single(b => b.GetProperty("benchmark").GetString() == "bbq").GetProperty("metrics");
        // BBQ scored per category of its files (stories260k answers "unknown" to both ambiguous Religion questions, which
        // leaves s_amb[Religion] undefined, as BbqMetrics documents).
        foreach (var perCategory in new[] { "accuracy[Gender_identity]", "s_dis[Gender_identity]", "s_amb[Gender_identity]", "accuracy[Religion]", "s_dis[Religion]" })
            Assert.True(bbq.TryGetProperty(perCategory, out _), perCategory);

        using var lm = CausalLM.FromPretrained(Stories);
        var scorer = new SentenceScorer(lm, ModelTokenizer.FromDirectory(Stories));
        foreach (var printed in benchmarks)
        {
            var expected = LikelihoodBenchmarks.ById(printed.GetProperty("benchmark").GetString()!).Evaluate(scorer, data);
            Assert.Equal(expected.DatasetSha256, printed.GetProperty("dataset_sha256").GetString());
            var metrics = printed.GetProperty("metrics").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetDouble());
            Assert.Equal(expected.Metrics.Keys.Order(), metrics.Keys.Order());
            Assert.All(expected.Metrics, m => Assert.Equal(m.Value, metrics[m.Key], 9));
        }
    }

    [SkippableFact]
    public async Task WithoutOptionsTheWholeDataSetIsScoredAsTheFullSuiteScoresIt()
    {
        string[] args = ["evaluate", "--model", Stories, "--benchmarks", "crows,winogender", "--data-dir", TestData.PathOf("bias"), "--json"];
        var result = await CliRunner.RunAsync(args);
        var full = await CliRunner.RunAsync([.. args, "--suite", "full"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(full.ExitCode == 0, full.Error);
        using var report = JsonDocument.Parse(result.Output);
        var benchmarks = report.RootElement.GetProperty("models")[0].GetProperty("benchmarks");
        var crows = benchmarks[0].GetProperty("metrics");
        Assert.Equal("crows", benchmarks[0].GetProperty("benchmark").GetString());
        Assert.InRange(crows.GetProperty("pct_stereotype").GetDouble(), 0, 100);
        Assert.True(crows.GetProperty("likelihood_diff").GetDouble() > 0);
        Assert.Equal((262, 262), (benchmarks[0].GetProperty("items").GetInt32(), benchmarks[0].GetProperty("items_total").GetInt32()));
        Assert.Equal((240, 240), (benchmarks[1].GetProperty("items").GetInt32(), benchmarks[1].GetProperty("items_total").GetInt32()));
        var winogender = benchmarks[1].GetProperty("metrics");
        Assert.InRange(winogender.GetProperty("pct_male_more_likely").GetDouble(), 0, 100);
        Assert.InRange(winogender.GetProperty("bls_correlation").GetDouble(), -1, 1);
        using var fullReport = JsonDocument.Parse(full.Output);
        Assert.Equal(Metrics(report), Metrics(fullReport));
    }

    [SkippableFact]
    public async Task ALimitOnTheWholeDataSetScoresASeededSubsetAndSaysSo()
    {
        async Task<JsonElement> Crows(int seed)
        {
            var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--benchmarks", "crows", "--data-dir", TestData.PathOf("bias"),
                "--limit", "32", "--limit-seed", $"{seed}", "--json");
            Assert.True(result.ExitCode == 0, result.Error);
            return JsonDocument.Parse(result.Output).RootElement.GetProperty("models")[0].GetProperty("benchmarks")[0].Clone();
        }
        var (a, again, other) = (await Crows(1), await Crows(1), await Crows(2));

        Assert.Equal("subset 32 of 262, seed 1", a.GetProperty("subset").GetString());
        Assert.Equal(a.GetProperty("metrics").GetRawText(), again.GetProperty("metrics").GetRawText());
        Assert.NotEqual(a.GetProperty("metrics").GetRawText(), other.GetProperty("metrics").GetRawText());

        // The CLI scored the library's draw, and that draw is not the first 32 pairs.
        using var lm = CausalLM.FromPretrained(Stories);
        var scorer = new SentenceScorer(lm, ModelTokenizer.FromDirectory(Stories));
        var drawn = new CrowsPairsBenchmark().Evaluate(scorer, TestData.PathOf("bias"), new ItemLimit(32, seed: 1));
        Assert.Equal(drawn.Metrics["pct_stereotype"], a.GetProperty("metrics").GetProperty("pct_stereotype").GetDouble(), 9);
        var firstPairs = CrowsPair.ReadGender(TestData.PathOf("bias")).Pairs.Take(32).ToList();
        Assert.NotEqual(firstPairs, new ItemLimit(32, seed: 1).Draw(CrowsPair.ReadGender(TestData.PathOf("bias")).Pairs));
    }

    static string Metrics(JsonDocument report) =>
        string.Join("\n", report.RootElement.GetProperty("models")[0].GetProperty("benchmarks").EnumerateArray()
            .Select(b => b.GetProperty("benchmark").GetString() + " " + b.GetProperty("metrics").GetRawText()));

    [Fact]
    public async Task AModelAgainstItselfAsBaselineHasNoGapReductionAndGetsAReport()
    {
        var outDir = Path.Combine(_dir, "report");
        var result = await CliRunner.RunAsync("evaluate", "--baseline", Stories, "--models", $"same={Stories}",
            "--benchmarks", "paired", "--greedy", "--max-new-tokens", "4", "--out", outDir, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        // Redirected, the progress is one plain line per benchmark, counted over both models.
        Assert.Equal(["Evaluating [1/2] baseline: paired", "Evaluating [2/2] same: paired"], result.Error.Split('\n').Where(l => l.StartsWith("Evaluating")));
        using var report = JsonDocument.Parse(result.Output);
        Assert.Equal("baseline", report.RootElement.GetProperty("baseline").GetString());
        var comparison = report.RootElement.GetProperty("comparisons")[0];
        Assert.Equal("same", comparison.GetProperty("model").GetString());
        Assert.Equal(0, comparison.GetProperty("gap_reduction").GetDouble(), 12);
        Assert.True(File.Exists(Path.Combine(outDir, "report.json")));
        Assert.Contains("| baseline | same |", File.ReadAllText(Path.Combine(outDir, "report.md")).Replace("  ", " "));
        Assert.True(File.Exists(Path.Combine(outDir, "group_entropy.png")));
    }

    [Fact]
    public async Task AReligionRunMeasuresEveryReligionGroupOnItsTemplatesAndItsReportSaysReligion()
    {
        var outDir = Path.Combine(_dir, "religion");
        var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--attribute", "religion", "--benchmarks", "paired",
            "--greedy", "--max-new-tokens", "3", "--limit", "4", "--out", outDir, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        string[] groups = ["christian", "muslim", "jewish", "hindu", "buddhist", "sikh", "mormon", "protestant", "catholic", "atheist"];
        using var report = JsonDocument.Parse(result.Output);
        var attribute = report.RootElement.GetProperty("attributes").EnumerateArray().Single();
        Assert.Equal("religion", attribute.GetProperty("lexicon").GetString());
        Assert.Equal(groups, attribute.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        var paired = report.RootElement.GetProperty("models")[0].GetProperty("paired");
        Assert.Equal("religion-templates", paired.GetProperty("prompt_set").GetString());
        Assert.Equal("religion", paired.GetProperty("attribute").GetProperty("name").GetString());
        Assert.Equal(4, paired.GetProperty("per_pair").GetArrayLength());
        // Each group's H is the mean over the 4 sets of its column, the gap max − min and the variance the population
        // variance of the ten H: recomputed here from the per-set entropies the report holds.
        var perSet = paired.GetProperty("per_pair").EnumerateArray().Select(p => p.GetProperty("entropies").EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        var h = groups.Select((_, g) => perSet.Sum(row => row[g]) / perSet.Length).ToArray();
        var entropies = paired.GetProperty("group_entropies");
        Assert.All(groups.Select((g, k) => (g, k)), x => Assert.Equal(h[x.k], entropies.GetProperty(x.g).GetDouble(), 12));
        Assert.Equal(h.Max() - h.Min(), paired.GetProperty("gap").GetDouble(), 12);
        var metrics = report.RootElement.GetProperty("models")[0].GetProperty("benchmarks")[0].GetProperty("metrics");
        Assert.Equal(h.Sum(x => (x - h.Average()) * (x - h.Average())) / 10, metrics.GetProperty("variance").GetDouble(), 12);
        Assert.All(groups, g => Assert.True(metrics.TryGetProperty("h_" + g, out _), g));

        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("Attribute **religion** (lexicon `religion`", md);
        Assert.All(groups, g => Assert.Contains($"| H[{g}] |", md));
        Assert.DoesNotContain("H[male]", md);
        Assert.True(File.Exists(Path.Combine(outDir, "group_entropy.png")));
    }

    [Fact]
    public async Task AnAttributeWhoseLexiconCannotWriteItsTemplatesExitsWithTwoNamingTheTemplateAndWord()
    {
        var lexicon = Fixtures.PathOf("data/groups/age_untemplatable.json");

        var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--attribute", lexicon, "--benchmarks", "paired");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot write the template \"The word \"Teenager\" makes me think of\" in group 'old'", result.Error);
        Assert.Contains("'elder'", result.Error);
        Assert.DoesNotContain("Evaluating", result.Error); // refused before any model was evaluated
    }

    [Fact]
    public async Task APairedFileWhoseGroupsAreNotTheAttributesExitsWithTwoBeforeAnyModelIsLoaded()
    {
        var pairs = Path.Combine(_dir, "pairs.jsonl");
        File.WriteAllLines(pairs, ["""{"pair_id": "a", "group": "male", "text": "He said"}""", """{"pair_id": "a", "group": "female", "text": "She said"}"""]);

        // The model does not exist: only a check made before loading it can name the groups.
        var result = await CliRunner.RunAsync("evaluate", "--model", Path.Combine(_dir, "no-model"), "--attribute", "gender-nb",
            "--paired-prompts", pairs, "--benchmarks", "paired");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nonbinary", result.Error);
    }

    [Theory]
    [InlineData("--benchmarks", "crows")]
    [InlineData("--benchmarks", "nonsense")]
    [InlineData("--benchmarks", "perplexity")]
    [InlineData("--models", "no-equals-sign")]
    [InlineData("--attribute", "nonsense")]
    public async Task MissingDataOrBadNamesExitWithTwo(params string[] args)
    {
        var result = await CliRunner.RunAsync(["evaluate", "--model", Stories, .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error:", result.Error);
    }

    [Fact]
    public async Task NoModelIsBadInput()
    {
        var result = await CliRunner.RunAsync("evaluate", "--benchmarks", "paired");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--model", result.Error);
    }
}
