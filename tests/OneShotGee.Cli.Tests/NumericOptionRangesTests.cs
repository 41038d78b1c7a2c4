using System.CommandLine;

namespace OneShotGee.Cli.Tests;

/// <summary>One range check on every numeric option of every command (NumericOptionRanges), at parse time.</summary>
public class NumericOptionRangesTests
{
    [Theory]
    [InlineData("--temperature must be a finite number, got NaN", "generate", "--model", "m", "--prompt", "p", "--temperature", "NaN")]
    [InlineData("--temperature must be >= 0, got -0.5", "generate", "--model", "m", "--prompt", "p", "--temperature", "-0.5")]
    [InlineData("--top-p must be in (0, 1], got 1.5", "generate", "--model", "m", "--prompt", "p", "--top-p", "1.5")]
    [InlineData("--top-p must be a finite number, got Infinity", "evaluate", "--model", "m", "--top-p", "Infinity")]
    [InlineData("--samples must be >= 1, got 0", "evaluate", "--model", "m", "--samples", "0")]
    [InlineData("--lr must be a finite number, got NaN", "train", "--model", "m", "--data", "d", "--out", "o", "--lr", "NaN")]
    [InlineData("--lambda must be >= 0, got -1", "train", "--model", "m", "--data", "d", "--out", "o", "--lambda", "-1")]
    [InlineData("--lora-dropout must be in [0, 1), got 1", "train", "--model", "m", "--data", "d", "--out", "o", "--lora-dropout", "1")]
    [InlineData("--memory-budget must be a finite number, got -Infinity", "train", "--model", "m", "--plan", "--memory-budget", "-Infinity")]
    [InlineData("--replicate must be >= 1, got 0", "prepare", "--out", "x.parquet", "--synthetic", "4", "--replicate", "0")]
    public async Task AValueOutOfRangeIsExitTwoNamingTheOption(string message, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: {message}", result.Error);
        Assert.Equal("", result.Output);
    }

    // An integer option cannot parse "NaN" at all, so only the floating-point ones test the range check here.
    [Fact]
    public void EveryFloatingPointOptionOfEveryCommandRefusesNaNAndInfinity()
    {
        var root = CliApp.BuildRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null));
        var checkedOptions = 0;
        foreach (var command in root.Subcommands)
            foreach (var option in command.Options.Where(o => IsFloatingPoint(Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType)))
                foreach (var value in new[] { "NaN", "Infinity", "-Infinity" })
                {
                    var errors = root.Parse([command.Name, option.Name, value]).Errors.Select(e => e.Message).ToList();
                    Assert.True(errors.Any(e => e.Contains(option.Name) && e.Contains(value)),
                        $"{command.Name} {option.Name} {value}: {string.Join(" | ", errors)}");
                    checkedOptions++;
                }
        Assert.True(checkedOptions >= 3 * 18, $"only {checkedOptions / 3} floating-point options found");
    }

    static bool IsFloatingPoint(Type type) => type == typeof(double) || type == typeof(float);

    [Fact]
    public void EveryNumericOptionHasARangeOfItsOwn() =>
        Assert.Empty(NumericOptionRanges.Unranged(CliApp.BuildRootCommand(new CliConsole(TextWriter.Null, TextWriter.Null))));

    [Fact]
    public void AnOptionWithoutARangeIsStillRefusedNaN()
    {
        var root = NumericOptionRanges.Apply(new RootCommand { new Command("tune") { new Option<double>("--warmup-ratio") } });

        Assert.Equal(["tune --warmup-ratio"], NumericOptionRanges.Unranged(root));
        Assert.Contains(root.Parse(["tune", "--warmup-ratio", "NaN"]).Errors, e => e.Message == "--warmup-ratio must be a finite number, got NaN");
        Assert.Empty(root.Parse(["tune", "--warmup-ratio", "-3"]).Errors);
    }
}
