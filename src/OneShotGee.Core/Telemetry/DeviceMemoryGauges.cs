using System.Diagnostics.Metrics;

namespace OneShotGee.Core.Telemetry;

/// <summary>
/// Gauges of device memory on the "OneShotGee" meter, read when a collector asks: <c>oneshotgee.device.memory.used</c>
/// and <c>.total</c> (bytes) per <c>device</c> — always <c>host</c>, and <c>cuda:N</c> (with <c>device_name</c>) for
/// every GPU NVML reports. One set per process (the meter is static); the services enable it, libraries and the CLI
/// do not need it.
/// </summary>
public sealed class DeviceMemoryGauges
{
    static readonly Lock Gate = new();
    static DeviceMemoryGauges? instance;

    readonly Nvml? gpus;

    DeviceMemoryGauges(Nvml? gpus)
    {
        this.gpus = gpus;
        GeeTelemetry.Meter.CreateObservableGauge("oneshotgee.device.memory.used", () => Measure(d => d.UsedBytes), "By",
            "Memory in use: this process's resident set on the host; on a GPU, all processes' and the driver's share");
        GeeTelemetry.Meter.CreateObservableGauge("oneshotgee.device.memory.total", () => Measure(d => d.TotalBytes), "By",
            "Memory of the device: the host memory this process may use (container limit or physical), a GPU's memory");
    }

    /// <summary>
    /// On the first call, opens NVML (<see cref="Nvml.LibraryName"/>), tells <paramref name="debug"/> which GPUs it
    /// found or why there are none, and creates the gauges; later calls return the same gauges.
    /// </summary>
    public static DeviceMemoryGauges Enable(Action<string> debug)
    {
        lock (Gate)
        {
            if (instance is not null) return instance;
            var gpus = Nvml.TryOpen(Nvml.LibraryName, out var failure);
            if (gpus is null) debug($"No GPU memory readings: {failure}.");
            else
            {
                debug($"GPU memory from NVML: {string.Join(", ", gpus.ReadMemory().Select(g => $"{g.Device} {g.Name}"))}.");
                AppDomain.CurrentDomain.ProcessExit += (_, _) => gpus.Dispose();
            }
            return instance = new DeviceMemoryGauges(gpus);
        }
    }

    // The host, then every GPU that NVML reports.
    IReadOnlyList<DeviceMemory> Read() => [DeviceMemory.Host(), .. gpus?.ReadMemory() ?? []];

    IEnumerable<Measurement<long>> Measure(Func<DeviceMemory, long> value) =>
        Read().Select(d => d.Name is null
            ? new Measurement<long>(value(d), new KeyValuePair<string, object?>("device", d.Device))
            : new Measurement<long>(value(d), new("device", d.Device), new("device_name", d.Name)));
}
