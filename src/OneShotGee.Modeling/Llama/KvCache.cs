using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// Keys and values of the positions already processed, per layer, in preallocated [b, kv_heads, capacity, head_dim]
/// buffers this object owns (outside any dispose scope). Each forward writes its positions into the next slice, so a
/// decoding step moves only its own keys/values instead of copying the whole cache. Inference only: cached tensors
/// are detached from autograd and written into the buffers in place. The caller disposes it.
/// </summary>
/// <param name="capacity">
/// Positions to allocate for at the first write (e.g. prompt + max_new_tokens); when a write does not fit, the buffers
/// double. 0: start at the first write's length.
/// </param>
public sealed class KvCache(int numLayers, long capacity = 0) : IDisposable
{
    readonly Tensor?[] keys = new Tensor?[numLayers];
    readonly Tensor?[] values = new Tensor?[numLayers];
    readonly long[] lengths = new long[numLayers];

    /// <summary>Number of positions cached (read before a forward appends to it).</summary>
    public long Length => lengths[0];

    /// <summary>
    /// Writes the new keys/values [b, kv_heads, s, head_dim] of <paramref name="layer"/> after the cached ones and returns
    /// views of the whole cached sequence [b, kv_heads, cached + s, head_dim] (valid until the next write).
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        var (start, s) = (lengths[layer], k.shape[2]);
        EnsureRoom(ref keys[layer], k.shape, k.dtype, k.device, start, start + s);
        EnsureRoom(ref values[layer], v.shape, v.dtype, v.device, start, start + s);
        lengths[layer] = start + s;
        keys[layer]!.narrow(2, start, s).copy_(k.requires_grad ? k.detach() : k);
        values[layer]!.narrow(2, start, s).copy_(v.requires_grad ? v.detach() : v);
        return (keys[layer]!.narrow(2, 0, start + s), values[layer]!.narrow(2, 0, start + s));
    }

    /// <summary>
    /// Makes room for s more positions of keys/values shaped <paramref name="shape"/> [b, kv_heads, s, head_dim] in every
    /// layer and counts them as cached; returns the whole buffers and the first new position, for a caller that writes
    /// the new keys/values itself (<see cref="DecodeStepScript"/>). A step that fails after this leaves the cache unusable.
    /// </summary>
    internal (Tensor[] Keys, Tensor[] Values, long Start) Extend(long[] shape, ScalarType dtype, Device device)
    {
        var (start, s) = (Length, shape[2]);
        if (lengths.Any(length => length != start))
            throw new InvalidOperationException($"the cache's layers hold {string.Join(", ", lengths)} positions: a forward failed midway");
        for (var layer = 0; layer < lengths.Length; layer++)
        {
            EnsureRoom(ref keys[layer], shape, dtype, device, start, start + s);
            EnsureRoom(ref values[layer], shape, dtype, device, start, start + s);
            lengths[layer] = start + s;
        }
        return ([.. keys.Select(k => k!)], [.. values.Select(v => v!)], start);
    }

    void EnsureRoom(ref Tensor? buffer, long[] shape, ScalarType dtype, Device device, long filled, long needed)
    {
        var room = buffer?.shape[2] ?? 0;
        if (needed <= room) return;
        var size = Math.Max(needed, buffer is null ? capacity : 2 * room);
        var grown = empty([shape[0], shape[1], size, shape[3]], dtype, device).DetachFromDisposeScope();
        if (buffer is not null)
        {
            using var source = buffer.narrow(2, 0, filled);
            using var target = grown.narrow(2, 0, filled);
            target.copy_(source);
            buffer.Dispose();
        }
        buffer = grown;
    }

    public void Dispose()
    {
        foreach (var t in keys.Concat(values)) t?.Dispose();
        Array.Clear(keys);
        Array.Clear(values);
        Array.Clear(lengths);
    }
}
