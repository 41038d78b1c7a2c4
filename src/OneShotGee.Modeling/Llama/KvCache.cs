using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// Keys and values of the positions already processed, per layer, as [b, kv_heads, t, head_dim] tensors this
/// object owns (outside any dispose scope). Inference only: cached tensors are detached from autograd.
/// The caller disposes it.
/// </summary>
public sealed class KvCache(int numLayers) : IDisposable
{
    readonly Tensor?[] keys = new Tensor?[numLayers];
    readonly Tensor?[] values = new Tensor?[numLayers];

    /// <summary>Number of positions cached (read before a forward appends to it).</summary>
    public long Length => keys[0]?.shape[2] ?? 0;

    /// <summary>Appends the new keys/values of <paramref name="layer"/> and returns the whole cached sequence.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        keys[layer] = Grow(keys[layer], k);
        values[layer] = Grow(values[layer], v);
        return (keys[layer]!, values[layer]!);
    }

    static Tensor Grow(Tensor? cached, Tensor next)
    {
        var grown = (cached is null ? next.detach() : cat([cached, next.detach()], 2)).DetachFromDisposeScope();
        cached?.Dispose();
        return grown;
    }

    public void Dispose()
    {
        foreach (var t in keys.Concat(values)) t?.Dispose();
        Array.Clear(keys);
        Array.Clear(values);
    }
}
