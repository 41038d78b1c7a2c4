using OneShotGee.Core.Gee;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Tests.Gee;

public class TwoPassGeeTests
{
    static readonly GeeOptions Options = new() { Groups = ["m", "f"] };

    [Theory]
    // L2: c_i = 1/4 + 3·(2(H_g − H̄)/2 − 0) → m: 0.25 − 0.6, f: 0.25 + 0.6.
    [InlineData(GeePenalty.L2, -0.35, 0.85)]
    // L1: c_i = 1/4 + 3·(sign(H_g − H̄)/2 − 0) → m: 0.25 − 1.5, f: 0.25 + 1.5.
    [InlineData(GeePenalty.L1, -1.25, 1.75)]
    // (H_m − H_f)² = 0.16: c_m = 1/4 + 3·2(0.45 − 0.85)/2 = −0.95, c_f = 1/4 − 3·2(0.45 − 0.85)/2 = 1.45.
    [InlineData(GeePenalty.SquaredDifference, -0.95, 1.45)]
    public void CoefficientsOfTheWorkedExample(GeePenalty penalty, double male, double female)
    {
        var (c, metrics) = new TwoPassGee(Options with { Penalty = penalty })
            .Coefficients([0.5, 0.8, 0.4, 0.9], ["m", "f", "m", "f"], step: 4);
        double[] expected = [male, female, male, female];
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], c[i], 12);
        // H̄ = 0.65; penalties 3·0.08 (L2), 3·0.4 (L1), 3·0.16 (squared difference).
        Assert.Equal(penalty switch { GeePenalty.L2 => 0.89, GeePenalty.L1 => 1.85, _ => 1.13 }, metrics.Loss, 12);
        Assert.Equal(4, metrics.Step);
    }

    [Fact]
    public void TheReferenceConventionAtHalfTheLambdaIsOurL2ForTwoBalancedGroups()
    {
        double[] h = [0.5, 0.8, 0.4, 0.9];
        string[] groups = ["m", "f", "m", "f"];
        var (ours, oursMetrics) = new TwoPassGee(Options with { Lambda = 3 }).Coefficients(h, groups, 0);
        var (reference, referenceMetrics) = new TwoPassGee(Options with { Lambda = 1.5, Penalty = GeePenalty.SquaredDifference }).Coefficients(h, groups, 0);

        for (var i = 0; i < h.Length; i++) Assert.Equal(ours[i], reference[i], 12);
        Assert.Equal(oursMetrics.Loss, referenceMetrics.Loss, 12);
    }

    [Fact]
    public void TokenWeightedEmWeighsEachSampleByItsGeneratedTokens()
    {
        // λ = 0, token counts 1, 3, 2, 2 (Σ 8): c_i = n_i / 8 and L = (0.5·1 + 0.8·3 + 0.4·2 + 0.9·2) / 8 = 5.5 / 8.
        var (c, metrics) = new TwoPassGee(Options with { Lambda = 0, EmWeighting = EmWeighting.Token })
            .Coefficients([0.5, 0.8, 0.4, 0.9], ["m", "f", "m", "f"], 0, tokenCounts: [1, 3, 2, 2]);

        double[] expected = [0.125, 0.375, 0.25, 0.25];
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], c[i], 12);
        Assert.Equal(0.6875, metrics.Loss, 12);
        Assert.Equal(0.65, metrics.MeanEntropy, 12); // H̄ as reported stays the sample mean
        Assert.Throws<InvalidInputException>(() => new TwoPassGee(Options with { EmWeighting = EmWeighting.Token }).Coefficients([0.5, 0.8], ["m", "f"], 0));
    }

    [Theory]
    [InlineData(GeePenalty.SquaredDifference, EmWeighting.Sample, 0.0)] // the reference code's (H_a − H_b)²
    [InlineData(GeePenalty.L2, EmWeighting.Token, 0.0)]                  // One-shot EM's mean over generated tokens
    [InlineData(GeePenalty.L2, EmWeighting.Sample, 0.5)]                 // with the KL anchor β·mean KL per token
    [InlineData(GeePenalty.SquaredDifference, EmWeighting.Token, 2.0)]
    public void TwoGroupTwoPassGradientEqualsTheWholeBatchGradient(GeePenalty penalty, EmWeighting emWeighting, double klCoef)
    {
        using var scope = NewDisposeScope();
        var options = Options with { Penalty = penalty, EmWeighting = emWeighting };
        var generator = new Generator(7);
        var x = randn([5, 6, 3], ScalarType.Float64, generator: generator);
        var weight = randn([3, 8], ScalarType.Float64, generator: generator).requires_grad_();
        var referenceWeight = randn([3, 8], ScalarType.Float64, generator: generator); // π_ref: the same "model" elsewhere
        int[] lengths = [3, 4, 2, 5, 1];
        var mask = GenerationMask.FromSpans([2, 2, 3, 1, 2], lengths, 6);
        string[] groups = ["m", "m", "f", "m", "f"]; // 3 against 2
        (int From, int To)[] microBatches = [(0, 2), (2, 4), (4, 5)];
        Tensor Logits(int from, int to) => x[from..to].matmul(weight);
        Tensor Kl(int from, int to) => ReferenceKl.Compute(Logits(from, to), x[from..to].matmul(referenceWeight), options.Temperature);
        Tensor Entropies(int from, int to) => TokenEntropy.PerSample(Logits(from, to), mask[from..to], options.Temperature);

        // Whole batch: L + β·Σ_{i,t} KL_it·mask_it / Σ mask, in one graph.
        var generated = mask.to(ScalarType.Float64);
        var wholeKl = (Kl(0, 5) * generated).sum() / generated.sum();
        (new GroupEntropyEqualizationLoss(options).Forward(Entropies(0, 5), groups, 0, lengths).Loss + klCoef * wholeKl).backward();
        var fullBatch = weight.grad!.clone();
        weight.grad!.zero_();
        var entropies = new List<double>();
        using (no_grad())
            foreach (var (from, to) in microBatches)
                entropies.AddRange(Entropies(from, to).data<double>().ToArray());
        var (c, _) = new TwoPassGee(options).Coefficients(entropies, groups, 0, lengths);
        foreach (var (from, to) in microBatches)
        {
            var klShare = ReferenceKl.AnchorTerm(ReferenceKl.SumOverGenerated(Kl(from, to), mask[from..to]), klCoef, lengths.Sum());
            (TwoPassGee.SurrogateLoss(Entropies(from, to), c[from..to]) + klShare).backward();
        }

        FiniteDifferences.AssertClose(fullBatch.data<double>().ToArray(), weight.grad!.data<double>().ToArray(), 1e-9);
    }

    [Fact]
    public void L1SignOfZeroIsZero()
    {
        var (c, _) = new TwoPassGee(Options with { Penalty = GeePenalty.L1 }).Coefficients([0.5, 0.5, 0.5], ["m", "f", "m"], 0);
        Assert.All(c, ci => Assert.Equal(1.0 / 3, ci, 12));
    }

    [Theory]
    [InlineData(GeePenalty.L2, false)]
    [InlineData(GeePenalty.L1, false)]
    [InlineData(GeePenalty.L2, true)]
    public void AccumulatedMicroBatchGradientEqualsFullBatchGradient(GeePenalty penalty, bool penaltyOnly)
    {
        using var scope = NewDisposeScope();
        var options = Options with { Penalty = penalty, PenaltyOnly = penaltyOnly, Groups = ["m", "f", "n", "o"] };
        var generator = new Generator(5);
        // A tiny linear "model": logits = x·W, 6 samples of 7 positions, 4 features, vocabulary 9.
        var x = randn([6, 7, 4], ScalarType.Float64, generator: generator);
        var weight = randn([4, 9], ScalarType.Float64, generator: generator).requires_grad_();
        var mask = GenerationMask.FromSpans([3, 3, 3, 3, 2, 2], [4, 2, 3, 1, 5, 3], 7);
        string[] groups = ["m", "m", "f", "n", "f", "m"]; // unequal groups; micro-batch 0 holds only "m"
        Tensor Entropies(int from, int to) => TokenEntropy.PerSample(x[from..to].matmul(weight), mask[from..to], options.Temperature);

        new GroupEntropyEqualizationLoss(options).Forward(Entropies(0, 6), groups, 0).Loss.backward();
        var fullBatch = weight.grad!.clone();
        weight.grad!.zero_();

        var entropies = new List<double>();
        using (no_grad())
            for (var start = 0; start < 6; start += 2)
                entropies.AddRange(Entropies(start, start + 2).data<double>().ToArray());
        var (c, metrics) = new TwoPassGee(options).Coefficients(entropies, groups, 0);
        for (var start = 0; start < 6; start += 2)
            TwoPassGee.SurrogateLoss(Entropies(start, start + 2), c[start..(start + 2)]).backward();

        FiniteDifferences.AssertClose(fullBatch.data<double>().ToArray(), weight.grad!.data<double>().ToArray(), 1e-9);
        Assert.Equal(["o"], metrics.MissingGroups);
    }

    [Fact]
    public void PerMicroBatchStatisticsDifferFromTheFullBatch()
    {
        // Why the two-pass form exists: micro-batch [m, m] has no penalty at all on its own.
        var objective = new GroupEntropyEqualizationLoss(Options);
        using var whole = tensor(new[] { 0.5, 0.4, 0.8, 0.9 });
        using var first = tensor(new[] { 0.5, 0.4 });
        using var second = tensor(new[] { 0.8, 0.9 });
        string[] groups = ["m", "m", "f", "f"];
        using var full = objective.Forward(whole, groups, 0).Loss;
        using var a = objective.Forward(first, groups[..2], 0).Loss;
        using var b = objective.Forward(second, groups[2..], 0).Loss;
        Assert.Equal(0.89, full.item<double>(), 12);
        Assert.Equal(0.65, (a.item<double>() + b.item<double>()) / 2, 12);
    }

    [Fact]
    public void SurrogateLossNeedsOneCoefficientPerSample()
    {
        using var h = tensor(new[] { 0.5, 0.8 });
        Assert.Equal(0.5 * 2 - 0.8, TwoPassGee.SurrogateLoss(h, [2.0, -1.0]).item<double>(), 12);
        Assert.Throws<InvalidInputException>(() => TwoPassGee.SurrogateLoss(h, [1.0]));
    }
}
