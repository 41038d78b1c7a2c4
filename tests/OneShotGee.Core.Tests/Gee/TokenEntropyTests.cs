using OneShotGee.Core.Gee;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Tests.Gee;

public class TokenEntropyTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void UniformLogitsGiveLogVocabularySize(double temperature)
    {
        using var logits = full(2, 3, 7, 1.25, ScalarType.Float64);
        using var entropy = TokenEntropy.Compute(logits, temperature);
        Assert.Equal([2L, 3L], entropy.shape);
        Assert.All(entropy.data<double>().ToArray(), h => Assert.Equal(Math.Log(7), h, 12));
    }

    [Fact]
    public void OneDominantLogitGivesZeroEntropyWithoutOverflow()
    {
        using var logits = tensor(new float[] { 0, 1000, 0, 0 }, [1, 1, 4]);
        using var entropy = TokenEntropy.Compute(logits, 0.5);
        Assert.Equal(0, entropy.item<float>(), 6);
    }

    [Fact]
    public void TemperatureDividesTheLogits()
    {
        // logits [0, ln2 / 2]: at τ = 0.5 p = [1/3, 2/3]; at τ = 1 p ∝ [1, √2].
        using var logits = tensor(new double[] { 0, Math.Log(2) / 2 }, [1, 1, 2]);
        var atHalf = -(1.0 / 3 * Math.Log(1.0 / 3) + 2.0 / 3 * Math.Log(2.0 / 3));
        double p0 = 1 / (1 + Math.Sqrt(2)), p1 = 1 - p0;
        var atOne = -(p0 * Math.Log(p0) + p1 * Math.Log(p1));
        using var h05 = TokenEntropy.Compute(logits, 0.5);
        using var h1 = TokenEntropy.Compute(logits, 1.0);
        Assert.Equal(atHalf, h05.item<double>(), 12);
        Assert.Equal(atOne, h1.item<double>(), 12);
    }

    [Fact]
    public void BFloat16LogitsAreComputedInFloat32()
    {
        using var logits = zeros(1, 2, 5, ScalarType.BFloat16);
        using var entropy = TokenEntropy.Compute(logits, 0.5);
        Assert.Equal(ScalarType.Float32, entropy.dtype);
        Assert.Equal(Math.Log(5), entropy[0, 0].item<float>(), 5);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var logits = randn([2, 3, 5], ScalarType.Float64, generator: generator).requires_grad_();
        var weights = rand([2, 3], ScalarType.Float64, generator: generator);
        Func<Tensor, Tensor> weightedEntropy = x => (TokenEntropy.Compute(x, 0.5) * weights).sum();

        weightedEntropy(logits).backward();
        var numeric = FiniteDifferences.Gradient(x => weightedEntropy(x).item<double>(), logits);
        FiniteDifferences.AssertClose(numeric, logits.grad!.data<double>().ToArray(), 1e-7);
    }

    [Fact]
    public void RejectsBadShapeAndTemperature()
    {
        using var flat = zeros(3, 4);
        Assert.Contains("logits", Assert.Throws<InvalidInputException>(() => TokenEntropy.Compute(flat, 0.5)).Message);
        using var logits = zeros(1, 2, 3);
        Assert.Contains("Temperature", Assert.Throws<InvalidInputException>(() => TokenEntropy.Compute(logits, 0)).Message);
        Assert.Contains("Temperature", Assert.Throws<InvalidInputException>(() => TokenEntropy.Compute(logits, double.NaN)).Message);
    }
}
