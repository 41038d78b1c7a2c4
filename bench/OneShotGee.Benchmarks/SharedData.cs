namespace OneShotGee.Benchmarks;

/// <summary>The read-only fixtures in <c>../shared/</c> beside the repository root (found by walking up to OneShotGee.sln).</summary>
static class SharedData
{
    public static string PathOf(string relative)
    {
        // BenchmarkDotNet runs each job from a generated project below bin/, so start from the binary, not the cwd.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OneShotGee.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", relative));
        throw new InvalidOperationException($"OneShotGee.sln not found above {AppContext.BaseDirectory}");
    }
}
