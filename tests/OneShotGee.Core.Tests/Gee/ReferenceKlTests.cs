using OneShotGee.Core.Gee;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Tests.Gee;

public class ReferenceKlTests
{
    [Fact]
    public void TheKlOfTwoTinyDistributionsAtTauIsTheHandComputedOne()
    {
        // At τ = 0.5 the logits are doubled: [0, ln2/2] → p = [1/3, 2/3]; [0, 0] → q = [1/2, 1/2]; [0, ln4/2] → q = [1/5, 4/5].
        using var logits = tensor(new double[] { 0, Math.Log(2) / 2, 0, Math.Log(2) / 2 }, [1, 2, 2]);
        using var reference = tensor(new double[] { 0, 0, 0, Math.Log(4) / 2 }, [1, 2, 2]);
        double p0 = 1.0 / 3, p1 = 2.0 / 3;
        var againstUniform = p0 * Math.Log(p0 / 0.5) + p1 * Math.Log(p1 / 0.5);
        var againstFifths = p0 * Math.Log(p0 / 0.2) + p1 * Math.Log(p1 / 0.8);

        using var kl = ReferenceKl.Compute(logits, reference, 0.5);

        Assert.Equal([1L, 2L], kl.shape);
        Assert.Equal(againstUniform, kl[0, 0].item<double>(), 12);
        Assert.Equal(againstFifths, kl[0, 1].item<double>(), 12);
        using var sums = ReferenceKl.SumOverGenerated(kl, tensor(new[] { false, true }, [1, 2]));
        Assert.Equal(againstFifths, sums.item<double>(), 12); // the first position is not a generated one
    }

    [Fact]
    public void AModelAgainstItselfHasZeroKlAndAnchorTermZero()
    {
        using var scope = NewDisposeScope();
        var logits = randn([2, 4, 9], ScalarType.Float64, generator: new Generator(3));
        var kl = ReferenceKl.Compute(logits, logits.clone(), 0.5);
        Assert.All(kl.data<double>().ToArray(), value => Assert.Equal(0.0, value));
        Assert.Equal(0.0, ReferenceKl.AnchorTerm(ReferenceKl.SumOverGenerated(kl, ones(2, 4)), 0.1, 8).item<double>());
    }

    [Fact]
    public void TheAnchorTermIsBetaTimesTheMeanOverAllGeneratedTokens()
    {
        // Two micro-batches' KL sums 0.3 + 0.5 and 0.2 over 4 + 2 + 2 = 8 generated tokens: 0.1·1.0/8 in shares.
        using var first = tensor(new[] { 0.3, 0.5 });
        using var second = tensor(new[] { 0.2 });
        var total = ReferenceKl.AnchorTerm(first, 0.1, 8).item<double>() + ReferenceKl.AnchorTerm(second, 0.1, 8).item<double>();
        Assert.Equal(0.0125, total, 12);
        Assert.Throws<InvalidInputException>(() => ReferenceKl.AnchorTerm(second, 0.1, 0));
    }

    [Fact]
    public void TheGradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var logits = randn([2, 3, 5], ScalarType.Float64, generator: generator).requires_grad_();
        var reference = randn([2, 3, 5], ScalarType.Float64, generator: generator);
        var weights = rand([2, 3], ScalarType.Float64, generator: generator);
        Func<Tensor, Tensor> weightedKl = x => (ReferenceKl.Compute(x, reference, 0.5) * weights).sum();

        weightedKl(logits).backward();

        var numeric = FiniteDifferences.Gradient(x => weightedKl(x).item<double>(), logits);
        FiniteDifferences.AssertClose(numeric, logits.grad!.data<double>().ToArray(), 1e-7);
    }

    [Fact]
    public void RejectsMismatchedShapes()
    {
        using var logits = zeros(1, 2, 3);
        using var reference = zeros(1, 2, 4);
        Assert.Contains("referenceLogits", Assert.Throws<InvalidInputException>(() => ReferenceKl.Compute(logits, reference, 0.5)).Message);
        using var kl = zeros(1, 2);
        Assert.Contains("generationMask", Assert.Throws<InvalidInputException>(() => ReferenceKl.SumOverGenerated(kl, zeros(1, 3))).Message);
    }
}
