using System.Runtime.CompilerServices;

namespace OneShotGee.Tests;

/// <summary>Locates the read-only fixtures in <c>../shared/</c> beside the repository root.</summary>
public static class SharedData
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Root { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>Absolute path of a fixture, e.g. <c>SharedData.PathOf("data/math/gsm8k_test.jsonl")</c>.</summary>
    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "OneShotGee.sln"))) return dir.FullName;
        throw new InvalidOperationException($"OneShotGee.sln not found above {AppContext.BaseDirectory}");
    }
}

static class TestAssemblySetup
{
    // The machines have 2 shared cores: keep libtorch to one thread so parallel test classes don't oversubscribe.
    [ModuleInitializer]
    internal static void UseOneTorchThread() => TorchSharp.torch.set_num_threads(1);
}
