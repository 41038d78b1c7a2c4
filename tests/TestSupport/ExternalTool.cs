namespace OneShotGee.Tests;

/// <summary>
/// Command-line tools some tests drive (kubectl, promtool, daprd). On a developer machine without the tool the test
/// is skipped with the reason; CI sets <c>ONESHOTGEE_REQUIRE_TOOLS=1</c> after installing them, so there a missing
/// tool fails the test instead of silently skipping it.
/// </summary>
public static class ExternalTool
{
    public const string RequireVariable = "ONESHOTGEE_REQUIRE_TOOLS";

    /// <summary>The tool's full path; skips (or, in CI, fails) the calling <c>[SkippableFact]</c> when it is not on PATH.</summary>
    public static string Require(string name, string whatForAndHowToInstall)
    {
        if (Find(name) is { } path) return path;
        var reason = $"'{name}' is not on PATH; it is needed to {whatForAndHowToInstall}";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1") throw new InvalidOperationException(reason);
        throw new SkipException(reason);
    }

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
