using OneShotGee.Core.Telemetry;

namespace OneShotGee.Training;

/// <summary>Memory a run could still take on its device: a GPU's free memory (NVML), or the host's available memory.</summary>
public static class DeviceBudget
{
    /// <summary>Bytes available on <paramref name="device"/> (auto, cpu, cuda, cuda:N), or null when it cannot be read.</summary>
    public static long? AvailableBytes(string device)
    {
        var gpu = device.StartsWith("cuda", StringComparison.Ordinal) || device == "auto" && TorchSharp.torch.cuda.is_available();
        if (!gpu)
        {
            var host = DeviceMemory.Host();
            return host.TotalBytes - host.UsedBytes;
        }
        using var nvml = Nvml.TryOpen(Nvml.LibraryName, out _);
        var index = device.StartsWith("cuda:", StringComparison.Ordinal) ? device["cuda:".Length..] : "0";
        return nvml?.ReadMemory().FirstOrDefault(m => m.Device == "cuda:" + index) is { TotalBytes: > 0 } memory
            ? memory.TotalBytes - memory.UsedBytes
            : null;
    }
}
