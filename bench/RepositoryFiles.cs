namespace OneShotGee.Bench;

/// <summary>
/// Files of the repository the benchmarks and experiments read, found by walking up from the binary to OneShotGee.sln
/// (BenchmarkDotNet runs each job from a generated project below bin/, so the working directory says nothing).
/// </summary>
static class RepositoryFiles
{
    public const string TestDataVariable = "ONESHOTGEE_TEST_DATA";

    static readonly string Root = FindRoot();

    /// <summary>A committed test fixture, e.g. <c>Fixture("models/stories260k")</c>.</summary>
    public static string Fixture(string relative) => Path.Combine(Root, "tests", "fixtures", relative);

    /// <summary>The whole GSM8K test set under <c>ONESHOTGEE_TEST_DATA</c> when it is set, else the 12-question fixture in its format.</summary>
    public static string Gsm8kQuestions()
    {
        var data = Environment.GetEnvironmentVariable(TestDataVariable);
        return string.IsNullOrEmpty(data) ? Fixture("data/math/gsm8k_test.jsonl") : Path.Combine(data, "math", "gsm8k_test.jsonl");
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OneShotGee.sln"))) return dir.FullName;
        throw new InvalidOperationException($"OneShotGee.sln not found above {AppContext.BaseDirectory}");
    }
}
