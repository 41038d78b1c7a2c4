using System.Runtime.CompilerServices;

namespace OneShotGee.Tests;

/// <summary>
/// The test fixtures committed under <c>tests/fixtures/</c> (models, tokenizers and small data files with their
/// reference outputs; provenance in its SOURCES.md), found from the test assembly's location.
/// </summary>
public static class Fixtures
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Root { get; } = Path.Combine(RepositoryRoot, "tests", "fixtures");

    /// <summary>Absolute path of a fixture, e.g. <c>Fixtures.PathOf("models/stories260k")</c>; a missing one throws, naming it.</summary>
    public static string PathOf(string relative)
    {
        var path = Path.Combine(Root, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"fixture '{relative}' is not in {Root}", path);
        return path;
    }

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OneShotGee.sln"))) return dir.FullName;
        throw new InvalidOperationException($"OneShotGee.sln not found above {AppContext.BaseDirectory}");
    }
}

static class TestAssemblySetup
{
    // The machines have 2 shared cores: keep libtorch to one thread so parallel test classes don't oversubscribe.
    [ModuleInitializer]
    internal static void UseOneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
