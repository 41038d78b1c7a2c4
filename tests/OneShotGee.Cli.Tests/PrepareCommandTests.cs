using System.Text.Json;
using OneShotGee.Data;
using OneShotGee.Tests;

namespace OneShotGee.Cli.Tests;

public sealed class PrepareCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string OutPath => Path.Combine(_dir, "prepared.parquet");

    // 12 questions of our own in GSM8K's format: 4 male, 4 female, 4 neutral.
    static readonly string Gsm8k = Fixtures.PathOf("data/math/gsm8k_test.jsonl");

    [Fact]
    public async Task Gsm8kQuestionsWithCounterfactualsAreBalancedAndEveryPairHasBothGroups()
    {
        var result = await CliRunner.RunAsync("prepare", "--input", Gsm8k,
            "--text-column", "question", "--augment", "counterfactual", "--out", OutPath, "--json");

        Assert.Equal(0, result.ExitCode);
        using var summary = JsonDocument.Parse(result.Output);
        var written = summary.RootElement.GetProperty("output_rows_per_group");
        Assert.Equal(written.GetProperty("male").GetInt64(), written.GetProperty("female").GetInt64());
        Assert.Equal(12, summary.RootElement.GetProperty("input_rows").GetInt32());
        Assert.Equal(8, written.GetProperty("male").GetInt64());

        var dataset = PreparedDataset.Read(OutPath);
        Assert.Equal(16, dataset.Rows.Count);
        foreach (var pair in dataset.Rows.GroupBy(r => r.PairId))
            Assert.Equal(["female", "male"], pair.Select(r => r.Group).Order());
    }

    [Fact]
    public async Task AttributeTakesALexiconFileOfThreeGroupsAndWritesTriples()
    {
        var result = await CliRunner.RunAsync("prepare", "--input", Fixtures.PathOf("data/groups/age_rows.jsonl"),
            "--attribute", Fixtures.PathOf("data/groups/age3.json"), "--augment", "counterfactual", "--out", OutPath, "--json");

        Assert.Equal(0, result.ExitCode);
        using var summary = JsonDocument.Parse(result.Output);
        var written = summary.RootElement.GetProperty("output_rows_per_group");
        Assert.Equal([5L, 5L, 5L], new[] { "young", "adult", "old" }.Select(g => written.GetProperty(g).GetInt64()));
        Assert.All(PreparedDataset.Read(OutPath).Rows.GroupBy(r => r.PairId), set => Assert.Equal(3, set.Select(r => r.Group).Distinct().Count()));
    }

    [Fact]
    public async Task WithoutInputItWritesBalancedSyntheticPrompts()
    {
        var result = await CliRunner.RunAsync("prepare", "--synthetic", "40", "--out", OutPath);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("40 rows", result.Output);
        var groups = PreparedDataset.Read(OutPath).Rows.CountBy(r => r.Group).ToDictionary();
        Assert.Equal(20, groups["male"]);
        Assert.Equal(20, groups["female"]);
    }

    [Fact]
    public async Task AMissingColumnExitsWithTwoNamingTheColumnsPresentAndWritesNothing()
    {
        var result = await CliRunner.RunAsync("prepare", "--input", Gsm8k,
            "--text-column", "problem", "--out", OutPath);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("problem", result.Error);
        Assert.Contains("question", result.Error);
        Assert.False(File.Exists(OutPath));
    }

    [Fact]
    public async Task AMissingInputFileExitsWithTwoNamingTheFile()
    {
        string missing = Path.Combine(_dir, "nope.jsonl");
        var result = await CliRunner.RunAsync("prepare", "--input", missing, "--out", OutPath);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.jsonl", result.Error);
        Assert.False(File.Exists(OutPath));
    }

    [Fact]
    public async Task AnOddTargetSizeIsRejected()
    {
        var result = await CliRunner.RunAsync("prepare", "--input", Gsm8k,
            "--text-column", "question", "--augment", "counterfactual", "--target-size", "7", "--out", OutPath);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("7", result.Error);
        Assert.False(File.Exists(OutPath));
    }
}
