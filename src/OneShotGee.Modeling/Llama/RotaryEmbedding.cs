using OneShotGee.Modeling.Config;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// Rotary position embedding (Su et al. 2021) in the HF <c>rotate_half</c> layout: dimension i pairs with i + d/2.
/// Frequencies are computed once in double precision, including the <c>linear</c> and <c>llama3</c> rope_scaling.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
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

    // cos and signed sin for positions 0 … n − 1 per (dtype, device), computed once and grown by doubling.
    readonly Dictionary<(ScalarType, string), (Tensor Cos, Tensor SignedSin)> tables = [];

    /// <summary>
    /// cos and signed sin tables [b, 1, s, head_dim] for position ids [b, s] below <paramref name="positions"/>, in
    /// <paramref name="dtype"/>, looked up in a table of every position. The sin table has its first half negated:
    /// rotate_half(x) · sin = roll(x, d/2) · signed sin, one op instead of four per rotation.
    /// </summary>
    public (Tensor Cos, Tensor SignedSin) Compute(Tensor positionIds, ScalarType dtype, long positions)
    {
        var (cosTable, sinTable) = Table(dtype, positionIds.device, positions);
        using var scope = NewDisposeScope();
        var (b, s) = (positionIds.shape[0], positionIds.shape[1]);
        var flat = positionIds.reshape(-1);
        return (cosTable.index_select(0, flat).view(b, 1, s, -1).MoveToOuterDisposeScope(),
            sinTable.index_select(0, flat).view(b, 1, s, -1).MoveToOuterDisposeScope());
    }

    /// <summary>The cos and signed sin tables [n, head_dim] of positions 0 … n − 1 (n ≥ <paramref name="positions"/>),
    /// owned by this object.</summary>
    internal (Tensor Cos, Tensor SignedSin) Table(ScalarType dtype, Device device, long positions)
    {
        var key = (dtype, device.ToString());
        var found = tables.TryGetValue(key, out var table);
        if (found && table.Cos.shape[0] >= positions) return table;
        var length = Math.Max(positions, found ? 2 * table.Cos.shape[0] : 64);
        using (var scope = NewDisposeScope())
        {
            var inv = tensor(InverseFrequencies, ScalarType.Float32, device);
            var freqs = arange(length, ScalarType.Float32, device).unsqueeze(-1) * inv; // [n, d/2]
            var (cos, sin) = (freqs.cos(), freqs.sin());
            if (found) { table.Cos.Dispose(); table.SignedSin.Dispose(); }
            table = (cat([cos, cos], -1).to(dtype).DetachFromDisposeScope(), cat([-sin, sin], -1).to(dtype).DetachFromDisposeScope());
        }
        return tables[key] = table;
    }

    public void Dispose()
    {
        foreach (var (cos, sin) in tables.Values) { cos.Dispose(); sin.Dispose(); }
        tables.Clear();
    }

    /// <summary>Rotates q or k [b, heads, s, head_dim]: x · cos + rotate_half(x) · sin, rotate_half(x1, x2) = (−x2, x1).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        using var scope = NewDisposeScope();
        return (x * cos).addcmul_(x.roll(x.shape[^1] / 2, -1), signedSin, 1).MoveToOuterDisposeScope();
    }
}
