using System.Text.RegularExpressions;
using OneShotGee.Pipeline.Config;
using OneShotGee.Tests;

namespace OneShotGee.Pipeline.Tests.Config;

/// <summary>Every run.json example in the docs (a fenced block opened with <c>```json run.json</c>) is a config the pipeline accepts.</summary>
public partial class DocsExamplesTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var doc in Directory.GetFiles(Path.Combine(Fixtures.RepositoryRoot, "docs"), "*.md").Append(Path.Combine(Fixtures.RepositoryRoot, "README.md")))
            for (var i = 0; i < RunJsonBlock().Matches(File.ReadAllText(doc)).Count; i++)
                data.Add(Path.GetRelativePath(Fixtures.RepositoryRoot, doc), i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void TheExamplePlansAsARun(string doc, int index)
    {
        var block = RunJsonBlock().Matches(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, doc)))[index].Groups["json"].Value;

        var steps = GeeRun.Plan(RunConfig.Parse(block, $"{doc} example {index + 1}"));

        Assert.Equal("report", steps[^1].Name);
    }

    [Fact]
    public void ThePipelineDocHasExamples() => Assert.True(Examples().Count(e => (string)e[0] == Path.Combine("docs", "pipeline.md")) >= 2);

    [GeneratedRegex(@"^```json run\.json\n(?<json>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex RunJsonBlock();
}
