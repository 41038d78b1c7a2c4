namespace OneShotGee.Tests;

/// <summary>
/// Whole public data sets (GSM8K, MATH500, the bias benchmarks) stay outside the repository: the tests that need
/// them read the directory named by <c>ONESHOTGEE_TEST_DATA</c> and are skipped, naming the variable, when it is
/// unset. A set variable that points at a missing file fails the test: CI sets it and must not skip.
/// Such tests are <c>[SkippableFact]</c> or <c>[SkippableTheory]</c>.
/// </summary>
public static class TestData
{
    public const string Variable = "ONESHOTGEE_TEST_DATA";

    /// <summary>Absolute path of a file or folder of the data sets, e.g. <c>TestData.PathOf("math/gsm8k_test.jsonl")</c>.</summary>
    public static string PathOf(string relative)
    {
        var root = Environment.GetEnvironmentVariable(Variable);
        Skip.If(string.IsNullOrEmpty(root), $"needs the public data set '{relative}': set {Variable} to the data directory");
        var path = Path.GetFullPath(Path.Combine(root!, relative));
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"{Variable}={root} has no '{relative}'", path);
        return path;
    }
}
