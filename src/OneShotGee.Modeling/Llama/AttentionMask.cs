using TorchSharp;
using OneShotGee.Modeling.Runtime;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>Turns a 0/1 padding mask [b, past + s] (left padding) into position ids and an additive causal mask.</summary>
public static class AttentionMask
{
    /// <summary>Position ids [b, s] of the last s tokens: cumsum(mask) − 1, pads set to 1 (as HF generate does).</summary>
    public static Tensor PositionIds(Tensor paddingMask, long s)
    {
        // A decoding step's token is never padding: its position is the count of real tokens before it.
        if (s == 1) return paddingMask.sum(-1, keepdim: true, type: ScalarType.Int64).sub_(LiveScalars.One);
        using var scope = NewDisposeScope();
        var positions = paddingMask.cumsum(-1).sub_(LiveScalars.One);
        positions = positions.masked_fill(paddingMask.eq(0), LiveScalars.One);
        return positions.narrow(1, paddingMask.shape[1] - s, s).MoveToOuterDisposeScope();
    }

    /// <summary>The additive mask's value for a blocked key: the dtype's minimum.</summary>
    public static double Blocked(ScalarType dtype) => finfo(dtype).min;

    /// <summary>
    /// Additive mask [b, 1, s, t]: 0 where query i (absolute position t − s + i) may attend key j (j ≤ its position
    /// and not padding), the dtype's minimum elsewhere; a finite minimum keeps fully-masked pad rows free of NaN (HF).
    /// </summary>
    public static Tensor Causal(Tensor paddingMask, long s, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (paddingMask.shape[0], paddingMask.shape[1]);
        // One query sees every key up to itself: only padding is blocked (1·min = min, 0·min = −0, which adds nothing).
        using var min = Blocked(dtype).ToScalar(); // held until the op returns (LiveScalars)
        if (s == 1) return paddingMask.eq(0).view(b, 1, 1, t).to(dtype).mul_(min).MoveToOuterDisposeScope();
        var future = ones([s, t], ScalarType.Bool, paddingMask.device).triu(t - s + 1); // key j after query i's position
        var blocked = future.logical_or(paddingMask.eq(0).unsqueeze(1)).unsqueeze(1);
        return zeros([b, 1, s, t], dtype, paddingMask.device).masked_fill_(blocked, min).MoveToOuterDisposeScope();
    }
}
