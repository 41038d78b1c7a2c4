using System.Text.Json;
using System.Text.RegularExpressions;
using OneShotGee.Tests;

namespace OneShotGee.Cli.Tests;

/// <summary>
/// The CLI examples in README.md (fenced blocks opened with <c>```bash example</c>) run as written, on the repository's
/// fixtures, and print what the comment under them shows: exactly for a literal JSON line, else the same keys.
/// </summary>
public sealed partial class ReadmeExamplesTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // The names the examples use for the user's files, and the fixture that stands in for each.
    static readonly Dictionary<string, string> Inputs = new()
    {
        ["DIR"] = "models/stories260k",
        ["gsm8k_test.jsonl"] = "data/math/gsm8k_test.jsonl",
        ["pi1_r128.parquet"] = "data/oneshot/one_problem_r16.parquet",
    };

    public static TheoryData<string, string?> Examples()
    {
        var data = new TheoryData<string, string?>();
        foreach (Match block in ExampleBlock().Matches(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "README.md"))))
        {
            var lines = block.Groups["body"].Value.Split('\n');
            for (var i = 0; i < lines.Length; i++)
                if (lines[i].StartsWith("oneshotgee ", StringComparison.Ordinal))
                    data.Add(lines[i], i + 1 < lines.Length && lines[i + 1].StartsWith("# {", StringComparison.Ordinal) ? lines[i + 1][2..] : null);
        }
        return data;
    }

    [Fact]
    public void TheReadmeHasExamples() => Assert.True(Examples().Count() >= 5);

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task TheExampleRunsAndPrintsWhatItsCommentShows(string command, string? shown)
    {
        var args = Arguments(command).Skip(1).ToArray();
        for (var i = 0; i < args.Length; i++)
        {
            if (Inputs.TryGetValue(args[i], out var fixture)) args[i] = Fixtures.PathOf(fixture);
            else if (i > 0 && args[i - 1] == "--out") args[i] = _dir.File(args[i]);
        }

        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == 0, $"{command}\n{result.Error}");
        if (shown is null) return;
        using var printed = JsonDocument.Parse(result.Output);
        if (!shown.Contains('…') && !shown.Contains('|'))
            Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(shown)), JsonSerializer.Serialize(printed));
        else
            Assert.All(JsonKey().Matches(shown).Select(m => m.Groups["key"].Value), key => Assert.True(printed.RootElement.TryGetProperty(key, out _), key));
    }

    static IEnumerable<string> Arguments(string command) =>
        Argument().Matches(command).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Value);

    [GeneratedRegex(@"^```bash example\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    [GeneratedRegex("\"(?<quoted>[^\"]*)\"|\\S+")]
    private static partial Regex Argument();

    [GeneratedRegex("\"(?<key>\\w+)\":")]
    private static partial Regex JsonKey();
}
