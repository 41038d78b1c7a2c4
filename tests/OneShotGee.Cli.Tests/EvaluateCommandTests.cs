using System.Text.Json;
using OneShotGee.Tests;

namespace OneShotGee.Cli.Tests;

public sealed class EvaluateCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-cli-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly string Stories = Fixtures.PathOf("models/stories260k");

    [Fact]
    public async Task LikelihoodBenchmarksOnStories260kPrintTheirStandardMetrics()
    {
        var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--benchmarks", "crows,winogender",
            "--data-dir", SharedData.PathOf("data/bias"), "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var report = JsonDocument.Parse(result.Output);
        var benchmarks = report.RootElement.GetProperty("models")[0].GetProperty("benchmarks");
        var crows = benchmarks[0].GetProperty("metrics");
        Assert.Equal("crows", benchmarks[0].GetProperty("benchmark").GetString());
        Assert.InRange(crows.GetProperty("pct_stereotype").GetDouble(), 0, 100);
        Assert.True(crows.GetProperty("likelihood_diff").GetDouble() > 0);
        Assert.Equal(64, benchmarks[0].GetProperty("items").GetInt32()); // the quick suite
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
