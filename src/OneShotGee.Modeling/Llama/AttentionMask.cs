using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>Turns a 0/1 padding mask [b, past + s] (left padding) into position ids and an additive causal mask.</summary>
public static class AttentionMask
{
    /// <summary>Position ids [b, s] of the last s tokens: cumsum(mask) − 1, pads set to 1 (as HF generate does).</summary>
    public static Tensor PositionIds(Tensor paddingMask, long s)
    {
        using var scope = NewDisposeScope();
        var positions = paddingMask.cumsum(-1) - 1;
        positions = positions.masked_fill(paddingMask.eq(0), 1);
        return positions.narrow(1, paddingMask.shape[1] - s, s).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Additive mask [b, 1, s, t]: 0 where query i (absolute position t − s + i) may attend key j (j ≤ its position
    /// and not padding), the dtype's minimum elsewhere; a finite minimum keeps fully-masked pad rows free of NaN (HF).
    /// </summary>
    public static Tensor Causal(Tensor paddingMask, long s, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var t = paddingMask.shape[1];
        var device = paddingMask.device;
        var keyPositions = arange(t, ScalarType.Int64, device);
        var queryPositions = arange(t - s, t, ScalarType.Int64, device);
        var causal = keyPositions.unsqueeze(0).le(queryPositions.unsqueeze(1)); // [s, t]
        var allowed = causal.unsqueeze(0).logical_and(paddingMask.ne(0).unsqueeze(1)).unsqueeze(1);
        var mask = zeros(allowed.shape, dtype, device).masked_fill(allowed.logical_not(), finfo(dtype).min);
        return mask.MoveToOuterDisposeScope();
    }
}
