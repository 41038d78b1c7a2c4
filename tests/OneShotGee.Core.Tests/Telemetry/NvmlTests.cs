using System.Diagnostics;
using System.Runtime.InteropServices;
using OneShotGee.Core.Telemetry;
using OneShotGee.Tests;

namespace OneShotGee.Core.Tests.Telemetry;

/// <summary>
/// <see cref="Nvml"/> against nvml.h's layout and against fake_nvml.c, a C library with NVML's signatures built here
/// with the C compiler (the real libnvidia-ml needs an NVIDIA driver and GPU).
/// </summary>
public sealed class NvmlTests : IDisposable
{
    readonly TempDirectory build = new();

    [Fact]
    public void NvmlMemory_has_the_layout_of_nvml_h_nvmlMemory_t_three_unsigned_long_longs()
    {
        Assert.Equal(24, Marshal.SizeOf<NvmlMemory>());
        Assert.Equal((0, 8, 16), ((int)Marshal.OffsetOf<NvmlMemory>(nameof(NvmlMemory.Total)),
            (int)Marshal.OffsetOf<NvmlMemory>(nameof(NvmlMemory.Free)), (int)Marshal.OffsetOf<NvmlMemory>(nameof(NvmlMemory.Used))));
    }

    [Fact]
    public void A_missing_library_gives_null_and_a_reason_naming_it_without_throwing()
    {
        Assert.Null(Nvml.TryOpen("libnvidia-ml-absent.so.1", out var failure));
        Assert.Contains("libnvidia-ml-absent.so.1", failure);
    }

    [SkippableFact]
    public void Reads_every_accessible_GPU_s_name_and_used_and_total_bytes_and_shuts_NVML_down_once()
    {
        var library = Compile("fake");
        var nvml = Assert.IsType<Nvml>(Nvml.TryOpen(library, out var failure));
        Assert.Null(failure);

        Assert.Equal(
            [new DeviceMemory("cuda:0", "Fake GPU 0", 1000, 85899345920), new DeviceMemory("cuda:2", "Fake GPU 2", 1002, 85899345922)],
            nvml.ReadMemory());

        nvml.Dispose();
        nvml.Dispose();
        Assert.Equal(1, Shutdowns(library));
        Assert.Throws<ObjectDisposedException>(() => nvml.ReadMemory());
    }

    [SkippableFact]
    public void A_failing_nvmlInit_or_a_missing_function_gives_null_and_the_reason()
    {
        Assert.Null(Nvml.TryOpen(Compile("init-fails", "-DINIT_FAILS"), out var failure));
        Assert.Contains("nvmlInit_v2", failure);
        Assert.Contains("returned 9", failure);

        Assert.Null(Nvml.TryOpen(Compile("no-name", "-DNO_NAME"), out failure));
        Assert.Contains("nvmlDeviceGetName", failure);
    }

    string Compile(string name, params string[] defines)
    {
        var cc = ExternalTool.Require("cc", "build a fake libnvidia-ml for the NVML tests (Debian/Ubuntu: apt-get install gcc)");
        var library = Path.Combine(build.Path, $"libnvml-{name}.so");
        var source = Path.Combine(AppContext.BaseDirectory, "Telemetry", "fake_nvml.c");
        using var process = Process.Start(new ProcessStartInfo(cc, ["-shared", "-fPIC", "-o", library, .. defines, source]) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"cc: {errors}");
        return library;
    }

    static unsafe int Shutdowns(string library) =>
        ((delegate* unmanaged<int>)NativeLibrary.GetExport(NativeLibrary.Load(library), "fake_shutdowns"))();

    public void Dispose() => build.Dispose();
}
