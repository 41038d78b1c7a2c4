using System.Reflection;
using OneShotGee.Build;

namespace OneShotGee.Build.Tests;

public sealed class GlibcxxVersionNeedPatcherTests : IDisposable
{
    readonly string _copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");

    public GlibcxxVersionNeedPatcherTests() => File.Copy(PristineLibrary, _copy);

    public void Dispose() => File.Delete(_copy);

    static string PristineLibrary => typeof(GlibcxxVersionNeedPatcherTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PristineLibTorchSharp").Value!;

    [Fact]
    public void PatchSetsOnlyTheWeakFlagOfThatVersionNeed()
    {
        Assert.False(GlibcxxVersionNeedPatcher.IsWeak(_copy));

        Assert.Equal(PatchOutcome.Patched, GlibcxxVersionNeedPatcher.Patch(_copy));

        Assert.True(GlibcxxVersionNeedPatcher.IsWeak(_copy));
        Assert.False(GlibcxxVersionNeedPatcher.IsWeak(_copy, "GLIBCXX_3.4.19"));
        byte[] before = File.ReadAllBytes(PristineLibrary), after = File.ReadAllBytes(_copy);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        var flagByte = Assert.Single(changed);
        Assert.Equal(before[flagByte] | 0x2, after[flagByte]);
    }

    [Fact]
    public void PatchIsIdempotent()
    {
        GlibcxxVersionNeedPatcher.Patch(_copy);
        byte[] once = File.ReadAllBytes(_copy);

        Assert.Equal(PatchOutcome.AlreadyWeak, GlibcxxVersionNeedPatcher.Patch(_copy));
        Assert.Equal(once, File.ReadAllBytes(_copy));
    }

    [Fact]
    public void AVersionTheLibraryDoesNotNeedIsLeftAlone()
    {
        Assert.Equal(PatchOutcome.VersionNotNeeded, GlibcxxVersionNeedPatcher.Patch(_copy, "GLIBCXX_9.9.99"));
        Assert.Equal(File.ReadAllBytes(PristineLibrary), File.ReadAllBytes(_copy));
    }

    [Fact]
    public void ANonElfFileIsRejectedByName()
    {
        File.WriteAllText(_copy, "not an ELF file, clearly long enough to hold an ELF header of sixty-four bytes");
        var error = Assert.Throws<InvalidDataException>(() => GlibcxxVersionNeedPatcher.Patch(_copy));
        Assert.Contains(_copy, error.Message);
    }

    [Fact]
    public void HostCheckFindsTheVersionStringInALibrary()
    {
        string fake = _copy + ".libstdc++";
        File.WriteAllBytes(fake, [.. "GLIBCXX_3.4.30\0GLIBCXX_3.4.32\0"u8]);
        try
        {
            Assert.True(GlibcxxVersionNeedPatcher.HostLibstdcxxProvides([fake]));
            Assert.False(GlibcxxVersionNeedPatcher.HostLibstdcxxProvides([fake], "GLIBCXX_3.4.33"));
            Assert.False(GlibcxxVersionNeedPatcher.HostLibstdcxxProvides(["/nonexistent/libstdc++.so.6"]));
        }
        finally { File.Delete(fake); }
    }

    [Fact]
    public void BuildOutputCopyIsWeakWhereTheHostLacksTheVersion()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        bool hostProvides = GlibcxxVersionNeedPatcher.HostLibstdcxxProvides(["/usr/lib/x86_64-linux-gnu/libstdc++.so.6"]);
        Assert.Equal(!hostProvides, GlibcxxVersionNeedPatcher.IsWeak(output));
    }
}
