using System.Runtime.InteropServices;
using System.Text;

namespace OneShotGee.Core.Telemetry;

/// <summary>
/// The memory of the NVIDIA GPUs this process can see, read through NVML (libnvidia-ml, installed with the driver),
/// since TorchSharp 0.107 has no CUDA memory API. The library is looked up at run time, function by function, so a
/// host without the driver gets <c>null</c> and the reason from <see cref="TryOpen"/>, never an exception.
/// Signatures and constants: NVIDIA's nvml.h (NVML API Reference Guide).
/// </summary>
public sealed unsafe class Nvml : IDisposable
{
    public const string LibraryName = "libnvidia-ml.so.1";

    const int Success = 0;          // NVML_SUCCESS
    const int NameBufferSize = 96;  // NVML_DEVICE_NAME_V2_BUFFER_SIZE

    static readonly string[] Exports =
        ["nvmlInit_v2", "nvmlShutdown", "nvmlDeviceGetCount_v2", "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetMemoryInfo", "nvmlDeviceGetName"];

    readonly delegate* unmanaged<int> shutdown;
    readonly delegate* unmanaged<uint*, int> getCount;
    readonly delegate* unmanaged<uint, IntPtr*, int> getHandleByIndex;
    readonly delegate* unmanaged<IntPtr, NvmlMemory*, int> getMemoryInfo;
    readonly delegate* unmanaged<IntPtr, byte*, uint, int> getName;
    int disposed;

    Nvml(IntPtr library)
    {
        shutdown = (delegate* unmanaged<int>)NativeLibrary.GetExport(library, "nvmlShutdown");
        getCount = (delegate* unmanaged<uint*, int>)NativeLibrary.GetExport(library, "nvmlDeviceGetCount_v2");
        getHandleByIndex = (delegate* unmanaged<uint, IntPtr*, int>)NativeLibrary.GetExport(library, "nvmlDeviceGetHandleByIndex_v2");
        getMemoryInfo = (delegate* unmanaged<IntPtr, NvmlMemory*, int>)NativeLibrary.GetExport(library, "nvmlDeviceGetMemoryInfo");
        getName = (delegate* unmanaged<IntPtr, byte*, uint, int>)NativeLibrary.GetExport(library, "nvmlDeviceGetName");
    }

    /// <summary>Loads <paramref name="library"/> and initialises NVML; null and the reason when either fails.</summary>
    public static Nvml? TryOpen(string library, out string? failure)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            failure = $"{library} could not be loaded (no NVIDIA driver on this host)";
            return null;
        }
        if (Exports.FirstOrDefault(name => !NativeLibrary.TryGetExport(handle, name, out _)) is { } missing)
        {
            failure = $"{library} has no {missing} (NVML older than 5.319)";
            NativeLibrary.Free(handle);
            return null;
        }
        var status = ((delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "nvmlInit_v2"))();
        if (status != Success)
        {
            failure = $"nvmlInit_v2 in {library} returned {status}";
            NativeLibrary.Free(handle);
            return null;
        }
        failure = null;
        return new Nvml(handle);
    }

    /// <summary>
    /// Every GPU's memory in NVML's order (<c>Used</c> counts all processes on the GPU, and what the driver reserves).
    /// A GPU NVML may not query (NVML_ERROR_NO_PERMISSION, counted by nvmlDeviceGetCount_v2 all the same) is left out.
    /// </summary>
    public IReadOnlyList<DeviceMemory> ReadMemory()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        uint count;
        if (getCount(&count) != Success) return [];
        var gpus = new List<DeviceMemory>((int)count);
        var name = stackalloc byte[NameBufferSize];
        for (uint i = 0; i < count; i++)
        {
            IntPtr device;
            NvmlMemory memory;
            if (getHandleByIndex(i, &device) != Success || getMemoryInfo(device, &memory) != Success) continue;
            var label = getName(device, name, NameBufferSize) == Success ? DecodeName(new ReadOnlySpan<byte>(name, NameBufferSize)) : null;
            gpus.Add(new DeviceMemory($"cuda:{i}", label, checked((long)memory.Used), checked((long)memory.Total)));
        }
        return gpus;
    }

    /// <summary>NVML's NUL-terminated name (at most <see cref="NameBufferSize"/> bytes, terminator included).</summary>
    internal static string DecodeName(ReadOnlySpan<byte> buffer)
    {
        var end = buffer.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? buffer : buffer[..end]);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) shutdown();
    }
}

/// <summary>nvml.h's <c>nvmlMemory_t</c> (v1): total, free and used bytes, three <c>unsigned long long</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct NvmlMemory
{
    public ulong Total;
    public ulong Free;
    public ulong Used;
}
