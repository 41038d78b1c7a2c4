using System.Runtime.InteropServices;
using OneShotGee.Core.Telemetry;

namespace OneShotGee.Services.Tests.Telemetry;

/// <summary>The device memory gauges in the scrape of <see cref="MetricsScrape"/>'s service host.</summary>
[Collection(MetricsScrape.Collection)]
public sealed class DeviceMemoryScrapeTests(MetricsScrape scrape)
{
    double Host(string name) => Assert.Single(scrape.Series.Of(name), s => s.Has("device", "host")).Value;

    [Fact]
    public void The_host_series_holds_this_process_s_resident_memory_within_the_machine_s_physical_memory()
    {
        double used = Host("oneshotgee_device_memory_used_bytes"), total = Host("oneshotgee_device_memory_total_bytes");
        Assert.InRange(used, 50e6, total); // the process has loaded the runtime, ASP.NET Core and libtorch
        Assert.InRange(total, used, PhysicalMemoryBytes());
    }

    [Fact]
    public void GPU_series_exist_exactly_when_the_NVIDIA_management_library_can_be_loaded()
    {
        var gpus = scrape.Series.Of("oneshotgee_device_memory_used_bytes").Where(s => !s.Has("device", "host")).ToList();
        if (NativeLibrary.TryLoad(Nvml.LibraryName, out _))
        {
            Assert.Contains(gpus, s => s.Has("device", "cuda:0") && s.Labels.ContainsKey("device_name"));
            Assert.All(gpus, s => Assert.InRange(s.Value, 1, double.MaxValue));
        }
        else Assert.Empty(gpus);
    }

    // MemTotal in /proc/meminfo (Linux), in KiB.
    static double PhysicalMemoryBytes() =>
        1024 * double.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
