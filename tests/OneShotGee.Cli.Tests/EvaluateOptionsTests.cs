using System.Text.Json;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Tests;

namespace OneShotGee.Cli.Tests;

/// <summary><c>evaluate</c>'s item limit and decoding options: what reaches the evaluation, what report.json records, what is refused.</summary>
public sealed class EvaluateOptionsTests
{
    static readonly string Stories = Fixtures.PathOf("models/stories260k");

    static async Task<JsonElement> Evaluate(params string[] args)
    {
        var result = await CliRunner.RunAsync(["evaluate", "--model", Stories, "--device", "cpu", "--json", .. args]);
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.GetProperty("models")[0].Clone();
    }

    static async Task<JsonElement> Paired(params string[] args) =>
        (await Evaluate(["--benchmarks", "paired", .. args])).GetProperty("paired");

    static string[] PairIds(JsonElement paired) => [.. paired.GetProperty("per_pair").EnumerateArray().Select(p => p.GetProperty("pair_id").GetString()!)];

    [Fact]
    public async Task A_limit_draws_the_same_pairs_for_the_same_seed_and_others_for_another()
    {
        string[] options = ["--limit", "5", "--greedy", "--max-new-tokens", "1"];
        var one = PairIds(await Paired([.. options, "--limit-seed", "1"]));
        var again = PairIds(await Paired([.. options, "--limit-seed", "1"]));
        var two = PairIds(await Paired([.. options, "--limit-seed", "2"]));

        Assert.Equal(5, one.Length);
        Assert.Equal(one, again);
        Assert.NotEqual(one, two);
        var all = WinogenderTemplates.Build().Pairs.Select(p => p.PairId).ToArray();
        Assert.NotEqual(all[..5], one);
        Assert.NotEqual(all[..5], two);
    }

    [Fact]
    public async Task A_subset_is_recorded_on_its_result_and_said_in_report_md()
    {
        var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--benchmarks", "paired", "--limit", "4", "--seed", "9",
            "--greedy", "--max-new-tokens", "1");
        Assert.True(result.ExitCode == 0, result.Error);
        var total = WinogenderTemplates.Build().Pairs.Count;
        Assert.Contains($"over 4 prompt pairs (subset 4 of {total}, seed 9)", result.Output); // no --limit-seed: the evaluation's --seed
        Assert.Contains("| model | limit 4, seed 9 | greedy, ≤ 1 new tokens |", result.Output);

        var model = await Evaluate("--benchmarks", "paired", "--limit", "4", "--seed", "9", "--greedy", "--max-new-tokens", "1");
        var paired = model.GetProperty("benchmarks")[0];
        Assert.Equal((4, total, 9), (paired.GetProperty("items").GetInt32(), paired.GetProperty("items_total").GetInt32(), paired.GetProperty("subset_seed").GetInt32()));
        Assert.Equal($"subset 4 of {total}, seed 9", paired.GetProperty("subset").GetString());
        Assert.Equal((4, 9), (model.GetProperty("settings").GetProperty("limit").GetInt32(), model.GetProperty("settings").GetProperty("limit_seed").GetInt32()));
    }

    [Fact]
    public async Task The_fixture_benchmarks_are_scored_whole_without_options()
    {
        var benchmarks = (await Evaluate("--benchmarks", "crows,winogender", "--data-dir", Fixtures.PathOf("data/bias"))).GetProperty("benchmarks");

        // tests/fixtures/data/bias: 5 CrowS-Pairs gender pairs, 4 Winogender triples.
        Assert.Equal([(5, 5), (4, 4)], benchmarks.EnumerateArray().Select(b => (b.GetProperty("items").GetInt32(), b.GetProperty("items_total").GetInt32())));
        Assert.All(benchmarks.EnumerateArray(), b => Assert.Equal(JsonValueKind.Null, b.GetProperty("subset").ValueKind));
    }

    [Fact]
    public async Task Decoding_options_reach_the_paired_generation_and_are_recorded()
    {
        var model = await Evaluate("--benchmarks", "paired", "--limit", "3", "--samples", "2", "--max-new-tokens", "3",
            "--temperature", "0.7", "--top-p", "0.9");

        var metrics = model.GetProperty("benchmarks")[0].GetProperty("metrics");
        foreach (var group in new[] { "male", "female" })
            Assert.InRange(metrics.GetProperty("tokens_" + group).GetDouble(), 1, 3);
        var settings = model.GetProperty("settings").GetProperty("paired_options");
        Assert.Equal((0.7, 0.9, 3, 2), (settings.GetProperty("temperature").GetDouble(), settings.GetProperty("top_p").GetDouble(),
            settings.GetProperty("max_new_tokens").GetInt32(), settings.GetProperty("samples_per_prompt").GetInt32()));
    }

    [Fact]
    public async Task Temperature_zero_decodes_greedily_whatever_the_seed()
    {
        string[] options = ["--limit", "3", "--limit-seed", "1", "--max-new-tokens", "4"];
        var zero = await Paired([.. options, "--temperature", "0", "--seed", "1"]);
        var otherSeed = await Paired([.. options, "--temperature", "0", "--seed", "2"]);
        var greedy = await Paired([.. options, "--greedy", "--seed", "1"]);

        Assert.True(zero.GetProperty("greedy").GetBoolean());
        Assert.Equal(1, zero.GetProperty("samples_per_prompt").GetInt32());
        Assert.Equal(zero.GetProperty("per_pair").GetRawText(), otherSeed.GetProperty("per_pair").GetRawText());
        Assert.Equal(zero.GetProperty("per_pair").GetRawText(), greedy.GetProperty("per_pair").GetRawText());
    }

    [Fact]
    public async Task The_task_response_length_reaches_gsm8k_generation_and_is_recorded()
    {
        var model = await Evaluate("--benchmarks", "gsm8k", "--gsm8k", Fixtures.PathOf("data/math/gsm8k_test.jsonl"),
            "--limit", "2", "--task-max-new-tokens", "2");

        var gsm8k = model.GetProperty("benchmarks")[0];
        Assert.Equal((2, 12), (gsm8k.GetProperty("items").GetInt32(), gsm8k.GetProperty("items_total").GetInt32()));
        Assert.InRange(gsm8k.GetProperty("metrics").GetProperty("mean_generated_tokens").GetDouble(), 1, 2);
        Assert.Equal(2, model.GetProperty("settings").GetProperty("task_max_new_tokens").GetProperty("gsm8k").GetInt32());
    }

    [Theory]
    [InlineData("--temperature", "NaN")]
    [InlineData("--temperature", "-0.5")]
    [InlineData("--temperature", "Infinity")]
    [InlineData("--top-p", "0")]
    [InlineData("--top-p", "1.5")]
    [InlineData("--top-p", "NaN")]
    [InlineData("--limit", "0")]
    [InlineData("--max-new-tokens", "0")]
    [InlineData("--task-max-new-tokens", "0")]
    public async Task An_out_of_range_option_exits_with_two_naming_it(string option, string value)
    {
        var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--benchmarks", "paired", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {option} ", result.Error);
    }

    [Fact]
    public async Task The_quick_suite_and_a_limit_together_are_refused()
    {
        var result = await CliRunner.RunAsync("evaluate", "--model", Stories, "--suite", "quick", "--limit", "10");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--suite quick is --limit 64", result.Error);
    }
}
