using OneShotGee.Core;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Suite;

namespace OneShotGee.Evaluation.Tests.Suite;

public sealed class EvaluationOptionsTests
{
    [Fact]
    public void By_default_every_item_is_scored()
    {
        Assert.Equal(EvaluationSuite.Full, new EvaluationOptions().Suite);
        Assert.Null(new EvaluationOptions().ItemLimit);
    }

    [Fact]
    public void A_limit_is_drawn_with_its_seed_else_the_paired_seed()
    {
        Assert.Equal((10, 15), (new EvaluationOptions { Limit = 10 }.ItemLimit!.Count, new EvaluationOptions { Limit = 10 }.ItemLimit!.Seed));
        var seeded = new EvaluationOptions { Limit = 10, LimitSeed = 3, PairedOptions = new PairedEntropyOptions { Seed = 8 } };
        Assert.Equal(3, seeded.ItemLimit!.Seed);
        Assert.Equal(8, (seeded with { LimitSeed = null }).ItemLimit!.Seed);
    }

    [Fact]
    public void The_quick_suite_is_a_limit_of_64()
    {
        var quick = new EvaluationOptions { Suite = EvaluationSuite.Quick }.Validated().ItemLimit!;
        Assert.Equal((EvaluationOptions.QuickItems, 15), (quick.Count, quick.Seed));
        Assert.Contains("not both", Assert.Throws<InvalidInputException>(() => new EvaluationOptions { Suite = EvaluationSuite.Quick, Limit = 5 }.Validated()).Message);
    }

    [Fact]
    public void Task_response_lengths_default_per_task_and_one_setting_overrides_both()
    {
        var defaults = new EvaluationOptions();
        Assert.Equal((32, 512, 1024), (defaults.MaxNewTokensFor(EvaluationOptions.Task), defaults.MaxNewTokensFor(EvaluationOptions.Gsm8k),
            defaults.MaxNewTokensFor(EvaluationOptions.Math500)));
        var set = new EvaluationOptions { TaskMaxNewTokens = 64 };
        Assert.Equal((64, 64), (set.MaxNewTokensFor(EvaluationOptions.Gsm8k), set.MaxNewTokensFor(EvaluationOptions.Math500)));
    }

    [Theory]
    [InlineData(EvaluationOptions.Perplexity, "--held-out FILE")]
    [InlineData(EvaluationOptions.GenderedPerplexity, "--gendered-text FILE")]
    [InlineData(EvaluationOptions.Task, "--task FILE")]
    public void A_retention_or_gendered_benchmark_without_its_file_is_refused_naming_the_option(string benchmark, string option)
    {
        var error = Assert.Throws<InvalidInputException>(() => new EvaluationOptions { Benchmarks = [benchmark] }.Validated());
        Assert.Equal($"benchmark '{benchmark}' needs {option}", error.Message);
    }

    [Theory]
    [InlineData(double.NaN, 1.0, "--temperature")]
    [InlineData(double.PositiveInfinity, 1.0, "--temperature")]
    [InlineData(-1.0, 1.0, "--temperature")]
    [InlineData(1.0, 0.0, "--top-p")]
    [InlineData(1.0, 1.5, "--top-p")]
    public void Out_of_range_decoding_is_refused_naming_the_option(double temperature, double topP, string option)
    {
        var options = new EvaluationOptions { PairedOptions = new PairedEntropyOptions { Temperature = temperature, TopP = topP } };
        Assert.StartsWith(option + " ", Assert.Throws<InvalidInputException>(() => options.Validated()).Message);
    }
}
