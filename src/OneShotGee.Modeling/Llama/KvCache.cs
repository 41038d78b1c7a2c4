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
        EnsureRoom(ref keys[layer], k, start, start + s);
        EnsureRoom(ref values[layer], v, start, start + s);
        lengths[layer] = start + s;
        keys[layer]!.narrow(2, start, s).copy_(k.requires_grad ? k.detach() : k);
        values[layer]!.narrow(2, start, s).copy_(v.requires_grad ? v.detach() : v);
        return (keys[layer]!.narrow(2, 0, start + s), values[layer]!.narrow(2, 0, start + s));
    }

    void EnsureRoom(ref Tensor? buffer, Tensor like, long filled, long needed)
    {
        var room = buffer?.shape[2] ?? 0;
        if (needed <= room) return;
        var size = Math.Max(needed, buffer is null ? capacity : 2 * room);
        var grown = empty([like.shape[0], like.shape[1], size, like.shape[3]], like.dtype, like.device).DetachFromDisposeScope();
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
