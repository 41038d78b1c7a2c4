namespace OneShotGee.Cli.Tests;

public class CliAppTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("prepare", "--help")]
    public async Task HelpDescribesTheCommandsAndSucceeds(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("prepare", result.Output);
    }

    [Fact]
    public async Task AnUnknownOptionIsBadInput()
    {
        var result = await CliRunner.RunAsync("prepare", "--out", "x.parquet", "--no-such-option");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error);
    }

    [Fact]
    public async Task AnUnknownAugmentModeIsBadInput()
    {
        var result = await CliRunner.RunAsync("prepare", "--out", "x.parquet", "--augment", "mirror");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mirror", result.Error);
    }
}
