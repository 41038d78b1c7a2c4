using OneShotGee.Core.Gee;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Tests.Gee;

public class GroupEntropyEqualizationLossTests
{
    // Worked example of issue 2: H_m = 0.45, H_f = 0.85, H̄ = 0.65.
    static readonly double[] WorkedEntropies = [0.5, 0.8, 0.4, 0.9];
    static readonly string[] WorkedGroups = ["m", "f", "m", "f"];
    static readonly GeeOptions Options = new() { Groups = ["m", "f"] };

    static (double Loss, GeeStepMetrics Metrics) Evaluate(GeeOptions options, double[] entropies, string[] groups)
    {
        using var h = tensor(entropies);
        var (loss, metrics) = new GroupEntropyEqualizationLoss(options).Forward(h, groups, step: 1);
        using (loss) return (loss.item<double>(), metrics);
    }

    [Fact]
    public void L2WorkedExample()
    {
        var (loss, m) = Evaluate(Options, WorkedEntropies, WorkedGroups);
        Assert.Equal(0.65 + 3 * 0.08, loss, 12);
        Assert.Equal(0.89, m.Loss, 12);
        Assert.Equal(0.65, m.LossEm, 12);
        Assert.Equal(0.24, m.LossBias, 12);
        Assert.Equal(0.65, m.MeanEntropy, 12);
        Assert.Equal(0.45, m.GroupEntropies["m"], 12);
        Assert.Equal(0.85, m.GroupEntropies["f"], 12);
        Assert.Equal(0.4, m.EntropyGap, 12);
        Assert.Equal(3.0, m.Lambda);
        Assert.Empty(m.MissingGroups);
        Assert.Equal(1, m.Step);
    }

    [Fact]
    public void L1WorkedExample()
    {
        var (loss, m) = Evaluate(Options with { Penalty = GeePenalty.L1 }, WorkedEntropies, WorkedGroups);
        Assert.Equal(0.65 + 3 * 0.4, loss, 12);
        Assert.Equal(1.2, m.LossBias, 12);
    }

    [Fact]
    public void PenaltyOnlyDropsTheMeanEntropyTerm()
    {
        var (loss, m) = Evaluate(Options with { PenaltyOnly = true }, WorkedEntropies, WorkedGroups);
        Assert.Equal(0.24, loss, 12);
        Assert.Equal(0, m.LossEm);
        Assert.Equal(0.65, m.MeanEntropy, 12);
    }

    [Fact]
    public void MissingGroupIsLeftOutOfThePenaltyAndReported()
    {
        // Had the absent group counted as H_n = 0, the penalty would gain (0 − 0.65)² = 0.4225.
        var (loss, m) = Evaluate(Options with { Groups = ["m", "f", "n"] }, WorkedEntropies, WorkedGroups);
        Assert.Equal(0.89, loss, 12);
        Assert.Equal(["n"], m.MissingGroups);
        Assert.False(m.GroupEntropies.ContainsKey("n"));
    }

    [Fact]
    public void SingleGroupBatchHasNoPenaltyAndNoGap()
    {
        var (loss, m) = Evaluate(Options, [0.5, 0.4], ["m", "m"]);
        Assert.Equal(0.45, loss, 12);
        Assert.Equal(0, m.EntropyGap);
        Assert.Equal(["f"], m.MissingGroups);
    }

    [Fact]
    public void AnnealedLambdaIsUsedInTheLoss()
    {
        var loss = new GroupEntropyEqualizationLoss(Options with { AutoAnneal = true });
        using var first = tensor(WorkedEntropies);
        using var second = tensor(new[] { 0.5, 0.7, 0.5, 0.7 }); // gap 0.2 = gap_0 / 2
        loss.Forward(first, WorkedGroups, 1).Loss.Dispose();
        var (l2, m2) = loss.Forward(second, WorkedGroups, 2);
        using (l2)
        {
            Assert.Equal(1.5, m2.Lambda, 12);
            Assert.Equal(0.6 + 1.5 * (0.01 + 0.01), l2.item<double>(), 12);
        }
    }

    [Fact]
    public void UnknownLabelAndLengthMismatchAreRejected()
    {
        Assert.Contains("'x'", Assert.Throws<InvalidInputException>(() => Evaluate(Options, [0.5, 0.8], ["m", "x"])).Message);
        Assert.Throws<InvalidInputException>(() => Evaluate(Options, [0.5, 0.8], ["m"]));
    }

    [Fact]
    public void NonFiniteLossNamesTheStep()
    {
        var (_, m) = Evaluate(Options, [double.NaN, 0.8], ["m", "f"]);
        var error = Assert.Throws<InvalidInputException>(() => m.EnsureFinite());
        Assert.Contains("step 1", error.Message);
        var (_, fine) = Evaluate(Options, WorkedEntropies, WorkedGroups);
        Assert.Same(fine, fine.EnsureFinite());
    }

    [Theory]
    [InlineData(GeePenalty.L2, false)]
    [InlineData(GeePenalty.L1, false)]
    [InlineData(GeePenalty.L2, true)]
    public void GradientWithRespectToLogitsMatchesFiniteDifferences(GeePenalty penalty, bool penaltyOnly)
    {
        using var scope = NewDisposeScope();
        var options = new GeeOptions { Groups = ["m", "f", "n"], Penalty = penalty, PenaltyOnly = penaltyOnly };
        var logits = randn([4, 6, 5], ScalarType.Float64, generator: new Generator(11)).requires_grad_();
        var mask = GenerationMask.FromSpans([3, 3, 3, 3], [2, 3, 1, 3], 6);
        string[] groups = ["m", "f", "m", "f"];
        var objective = new GroupEntropyEqualizationLoss(options);
        Func<Tensor, Tensor> loss = x => objective.Forward(TokenEntropy.PerSample(x, mask, options.Temperature), groups, 0).Loss;

        loss(logits).backward();
        var analytic = logits.grad!.data<double>().ToArray();
        FiniteDifferences.AssertClose(FiniteDifferences.Gradient(x => loss(x).item<double>(), logits), analytic, 1e-6);
        // Prompt, padding and last-token positions get exactly zero gradient.
        var unmasked = (~mask).unsqueeze(-1).expand(4, 6, 5).data<bool>().ToArray();
        Assert.All(analytic.Where((_, k) => unmasked[k]), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void RepeatedStepsInDisposeScopesLeaveNoLiveTensors()
    {
        using var logits = randn([4, 6, 8], generator: new Generator(3)).requires_grad_();
        using var mask = GenerationMask.FromSpans([2, 2, 3, 3], [4, 3, 2, 3], 6);
        var objective = new GroupEntropyEqualizationLoss(Options with { AutoAnneal = true });
        DisposeScopeManager.Statistics.Reset();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var (loss, metrics) = objective.Forward(TokenEntropy.PerSample(logits, mask, 0.5), WorkedGroups, step);
            loss.backward();
            metrics.EnsureFinite();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.True(DisposeScopeManager.Statistics.CreatedInScopeCount > 0);
    }
}
