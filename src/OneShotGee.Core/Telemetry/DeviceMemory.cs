namespace OneShotGee.Core.Telemetry;

/// <summary>Memory in use and in total on one device: <c>host</c>, or a GPU <c>cuda:N</c> with its product name.</summary>
public readonly record struct DeviceMemory(string Device, string? Name, long UsedBytes, long TotalBytes)
{
    /// <summary>
    /// This process's resident set (managed heap, libtorch's CPU tensors and all other native memory) out of the memory
    /// it may use: the container's limit where there is one, else the machine's physical memory.
    /// </summary>
    public static DeviceMemory Host() =>
        new("host", null, Environment.WorkingSet, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
}
