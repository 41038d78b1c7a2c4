using System.Text.Json;
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
        // Every item of the small fixture files: the quick suite's 64 is more than any of them has.
        Assert.Equal([("crows", 5), ("winobias", 6), ("winogender", 4), ("stereoset", 6), ("bbq", 6)],
            benchmarks.Select(b => (b.GetProperty("benchmark").GetString()!, b.GetProperty("items").GetInt32())));

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
    public async Task TheQuickSuiteScoresTheFirst64CrowsPairsOfTheWholeDataSet()
    {
        var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--benchmarks", "crows,winogender",
            "--data-dir", TestData.PathOf("bias"), "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var report = JsonDocument.Parse(result.Output);
        var benchmarks = report.RootElement.GetProperty("models")[0].GetProperty("benchmarks");
        var crows = benchmarks[0].GetProperty("metrics");
        Assert.Equal("crows", benchmarks[0].GetProperty("benchmark").GetString());
        Assert.InRange(crows.GetProperty("pct_stereotype").GetDouble(), 0, 100);
        Assert.True(crows.GetProperty("likelihood_diff").GetDouble() > 0);
        Assert.Equal(64, benchmarks[0].GetProperty("items").GetInt32());
        Assert.Equal(64, benchmarks[1].GetProperty("items").GetInt32());
        var winogender = benchmarks[1].GetProperty("metrics");
        Assert.InRange(winogender.GetProperty("pct_male_more_likely").GetDouble(), 0, 100);
        Assert.InRange(winogender.GetProperty("bls_correlation").GetDouble(), -1, 1);
    }

    [Fact]
    public async Task AModelAgainstItselfAsBaselineHasNoGapReductionAndGetsAReport()
    {
        var outDir = Path.Combine(_dir, "report");
        var result = await CliRunner.RunAsync("evaluate", "--baseline", Stories, "--models", $"same={Stories}",
            "--benchmarks", "paired", "--greedy", "--max-new-tokens", "4", "--out", outDir, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var report = JsonDocument.Parse(result.Output);
        Assert.Equal("baseline", report.RootElement.GetProperty("baseline").GetString());
        var comparison = report.RootElement.GetProperty("comparisons")[0];
        Assert.Equal("same", comparison.GetProperty("model").GetString());
        Assert.Equal(0, comparison.GetProperty("gap_reduction").GetDouble(), 12);
        Assert.True(File.Exists(Path.Combine(outDir, "report.json")));
        Assert.Contains("| baseline | same |", File.ReadAllText(Path.Combine(outDir, "report.md")).Replace("  ", " "));
        Assert.True(File.Exists(Path.Combine(outDir, "group_entropy.png")));
    }

    [Theory]
    [InlineData("--benchmarks", "crows")]
    [InlineData("--benchmarks", "nonsense")]
    [InlineData("--benchmarks", "perplexity")]
    [InlineData("--models", "no-equals-sign")]
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
