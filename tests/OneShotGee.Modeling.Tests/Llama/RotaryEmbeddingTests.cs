using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Llama;

public sealed class RotaryEmbeddingTests
{
    static ModelConfig Config(RopeScaling? scaling) => TinyModels.Llama() with { HeadDim = 8, RopeTheta = 10000, RopeScaling = scaling };

    [Fact]
    public void Default_frequencies_are_theta_to_the_minus_2i_over_d()
    {
        var f = new RotaryEmbedding(Config(null)).InverseFrequencies;
        Assert.Equal([1.0, 0.1, 0.01, 0.001], f.Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void Linear_scaling_divides_every_frequency()
    {
        var f = new RotaryEmbedding(Config(new RopeScaling("linear", 4))).InverseFrequencies;
        Assert.Equal([0.25, 0.025, 0.0025, 0.00025], f.Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void Llama3_scaling_keeps_high_slows_low_and_interpolates_the_band_between()
    {
        // Wavelengths 2π/f: 6.28, 62.8, 628, 6283. With original length 1024, low/high factors 1/4:
        // high-frequency cutoff 256, low-frequency cutoff 1024.
        var f = new RotaryEmbedding(Config(new RopeScaling("llama3", 8, 1, 4, 1024))).InverseFrequencies;
        Assert.Equal(1.0, f[0], 12);
        Assert.Equal(0.1, f[1], 12);
        var smooth = (1024 / (2 * Math.PI / 0.01) - 1) / (4 - 1); // wavelength 628 is in the band
        Assert.Equal((1 - smooth) * 0.01 / 8 + smooth * 0.01, f[2], 12);
        Assert.Equal(0.001 / 8, f[3], 12);
    }

    [Fact]
    public void Apply_rotates_each_pair_i_and_i_plus_half_by_position_times_frequency()
    {
        using var scope = NewDisposeScope();
        var rotary = new RotaryEmbedding(TinyModels.Llama() with { HeadDim = 4, RopeTheta = 10000 }); // frequencies 1, 0.01
        var (cos, sin) = rotary.Compute(tensor(new long[] { 2 }, [1, 1]), ScalarType.Float32, 3);
        var x = tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 1, 4]);

        var rotated = RotaryEmbedding.Apply(x, cos, sin).flatten().data<float>().ToArray();

        // Pair (x0, x2) turns by 2 rad, pair (x1, x3) by 0.02 rad.
        double[] expected = [1 * Math.Cos(2) - 3 * Math.Sin(2), 2 * Math.Cos(0.02) - 4 * Math.Sin(0.02),
            3 * Math.Cos(2) + 1 * Math.Sin(2), 4 * Math.Cos(0.02) + 2 * Math.Sin(0.02)];
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], rotated[i], 5);
    }
}
