using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using OneShotGee.Build;

namespace OneShotGee.Build.Tests;

/// <summary>
/// scripts/gpu-smoke: the kit packs and its symbol check holds against the CPU libtorch the build restores. The CUDA
/// part of run.sh needs a GPU and is not run here.
/// </summary>
public sealed class GpuSmokeKitTests : IDisposable
{
    static readonly string Scripts = Path.Combine(Fixtures.RepositoryRoot, "scripts", "gpu-smoke");
    // The build output holds the restored libtorch-cpu-linux-x64 beside TorchSharp's native library.
    static readonly string CpuLibtorch = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    static string PristineLibrary => typeof(GpuSmokeKitTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PristineLibTorchSharp").Value!;

    static void RequireTools()
    {
        foreach (var tool in new[] { "nm", "readelf", "c++filt" })
            ExternalTool.Require(tool, "check libLibTorchSharp.so's symbols (apt-get install binutils)");
        ExternalTool.Require("xz", "compress the GPU smoke kit (apt-get install xz-utils)");
        ExternalTool.Require("ldd", "resolve the libraries libLibTorchSharp.so needs (libc-bin)");
    }

    [SkippableFact]
    public void DryRunPacksAKitUnder60MbWhoseLibraryResolvesAgainstTheCpuLibtorch()
    {
        RequireTools();
        var outDir = _dir.File("out");

        var (exit, stdout, stderr) = Run(Path.Combine(Scripts, "pack.sh"), "--dry-run", "--out", outDir);

        Assert.True(exit == 0, stderr);
        var archive = new FileInfo(Path.Combine(outDir, "oneshotgee-gpu-smoke.tar.xz"));
        Assert.True(archive.Exists);
        Assert.InRange(archive.Length, 1, 60_000_000 - 1);
        // The dry run unpacked the archive here: these are its contents.
        var kit = Path.Combine(outDir, "dry-run", "oneshotgee-gpu-smoke");
        foreach (var file in new[]
                 {
                     "run.sh", "check-symbols.sh", "smoke.py", "kit.json", "bin/oneshotgee", "bin/TorchSharp.dll",
                     "bin/libLibTorchSharp.so", "bin/libcoreclr.so", "models/stories260k/reference.json",
                     "models/stories260k/model.safetensors", "models/tiny-qwen2/reference.json",
                     "models/tiny-qwen2/model.safetensors", "models/tiny-qwen2/tokenizer.json",
                 })
            Assert.True(File.Exists(Path.Combine(kit, file)), $"{file} is not in the kit");
        Assert.Empty(Directory.GetFiles(Path.Combine(kit, "bin"), "libtorch*.so"));
        Assert.False(File.Exists(Path.Combine(kit, "bin", "libc10.so")));
        Assert.True(GlibcxxVersionNeedPatcher.IsWeak(Path.Combine(kit, "bin", "libLibTorchSharp.so")), "the kit's library must load on libstdc++ < GCC 13");
        using var versions = JsonDocument.Parse(File.ReadAllText(Path.Combine(kit, "kit.json")));
        Assert.Equal("2.10.0", versions.RootElement.GetProperty("libtorch").GetString());

        Assert.Contains("missing: 0 libraries, 0 symbols", stderr);
        using var summary = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        Assert.Equal(0, summary.RootElement.GetProperty("symbol_check").GetProperty("missing").GetInt32());
        Assert.True(summary.RootElement.GetProperty("cpu_load").GetProperty("ok").GetBoolean());
        Assert.True(summary.RootElement.GetProperty("ok").GetBoolean());
    }

    [SkippableFact]
    public void TheCheckListsTheLibrariesAndSymbolsAnEmptyDirectoryLacks()
    {
        RequireTools();
        var library = PatchedCopy();

        var (exit, stdout, _) = Run(Path.Combine(Scripts, "check-symbols.sh"), library, Directory.CreateDirectory(_dir.File("empty")).FullName);

        Assert.Equal(1, exit);
        var lines = stdout.Split('\n');
        Assert.Equal(["libc10.so", "libtorch.so", "libtorch_cpu.so"],
            lines.Where(l => l.StartsWith("missing library: ")).Select(l => l["missing library: ".Length..]).Order(StringComparer.Ordinal));
        Assert.Contains("missing symbol: _ZN2at13globalContextEv = at::globalContext()", lines);
        var symbols = lines.Count(l => l.StartsWith("missing symbol: "));
        Assert.True(symbols > 1000, $"{symbols} symbols reported missing");
        Assert.Contains($"missing: 3 libraries, {symbols} symbols", lines);
    }

    [SkippableFact]
    public void OnlyTheWeakGcc13MarkerSeparatesTheUnpatchedLibraryFromTheCpuLibtorch()
    {
        RequireTools();
        var check = Path.Combine(Scripts, "check-symbols.sh");

        var patched = Run(check, PatchedCopy(), CpuLibtorch);
        var pristine = Run(check, PristineCopy(), CpuLibtorch);

        Assert.True(patched.Exit == 0, patched.Stdout);
        Assert.Contains("missing: 0 libraries, 0 symbols", patched.Stdout);
        // Unpatched, the GLIBCXX_3.4.32 need is strict: on a libstdc++ older than GCC 13 its one symbol is missing.
        if (GlibcxxVersionNeedPatcher.HostLibstdcxxProvides(["/usr/lib/x86_64-linux-gnu/libstdc++.so.6"]))
            Assert.Equal(0, pristine.Exit);
        else
        {
            Assert.Equal(1, pristine.Exit);
            Assert.Equal(["missing symbol: _ZSt21ios_base_library_initv = std::ios_base_library_init()"],
                pristine.Stdout.Split('\n').Where(l => l.StartsWith("missing symbol: ")));
        }
    }

    // Copies outside the build output, whose RUNPATH $ORIGIN would find the libtorch beside them.
    string PristineCopy()
    {
        var copy = Path.Combine(Directory.CreateDirectory(_dir.File("pristine")).FullName, "libLibTorchSharp.so");
        File.Copy(PristineLibrary, copy);
        return copy;
    }

    string PatchedCopy()
    {
        var copy = Path.Combine(Directory.CreateDirectory(_dir.File("patched")).FullName, "libLibTorchSharp.so");
        File.Copy(PristineLibrary, copy);
        GlibcxxVersionNeedPatcher.Patch(copy);
        return copy;
    }

    static (int Exit, string Stdout, string Stderr) Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A self-contained publish and xz on two cores: a few minutes at most.
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} ran past 15 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
