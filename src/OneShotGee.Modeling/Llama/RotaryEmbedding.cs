using OneShotGee.Modeling.Config;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// Rotary position embedding (Su et al. 2021) in the HF <c>rotate_half</c> layout: dimension i pairs with i + d/2.
/// Frequencies are computed once in double precision, including the <c>linear</c> and <c>llama3</c> rope_scaling.
/// </summary>
public sealed class RotaryEmbedding
{
    public double[] InverseFrequencies { get; }

    public RotaryEmbedding(ModelConfig config)
    {
        var d = config.HeadDim;
        var inv = Enumerable.Range(0, d / 2).Select(i => 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / d)).ToArray();
        InverseFrequencies = config.RopeScaling switch
        {
            null => inv,
            { Type: "linear" } s => [.. inv.Select(f => f / s.Factor)],
            { Type: "llama3" } s => [.. inv.Select(f => Llama3Frequency(f, s))],
            var s => throw new ArgumentException($"rope_scaling type {s.Type}"),
        };
    }

    // HF _compute_llama3_parameters: long wavelengths are slowed by `factor`, short ones kept, the band between interpolated.
    static double Llama3Frequency(double f, RopeScaling s)
    {
        var lowFreqWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        var highFreqWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        var wavelen = 2 * Math.PI / f;
        if (wavelen < highFreqWavelen) return f;
        if (wavelen > lowFreqWavelen) return f / s.Factor;
        var smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
        return (1 - smooth) * f / s.Factor + smooth * f;
    }

    /// <summary>
    /// cos and signed sin tables [b, 1, s, head_dim] for position ids [b, s], in <paramref name="dtype"/>. The sin table
    /// has its first half negated: rotate_half(x) · sin = roll(x, d/2) · signed sin, one op instead of four per rotation.
    /// </summary>
    public (Tensor Cos, Tensor SignedSin) Compute(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var inv = tensor(InverseFrequencies, ScalarType.Float32, positionIds.device);
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * inv; // [b, s, d/2]
        var (cos, sin) = (freqs.cos(), freqs.sin());
        return (cat([cos, cos], -1).unsqueeze(1).to(dtype).MoveToOuterDisposeScope(),
            cat([-sin, sin], -1).unsqueeze(1).to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Rotates q or k [b, heads, s, head_dim]: x · cos + rotate_half(x) · sin, rotate_half(x1, x2) = (−x2, x1).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        using var scope = NewDisposeScope();
        return (x * cos).addcmul_(x.roll(x.shape[^1] / 2, -1), signedSin, 1).MoveToOuterDisposeScope();
    }
}
