using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Tests.Benchmarks;

public sealed class WinogenderMetricsTests
{
    static TextLikelihood L(double ll, double entropy) => new(ll, 5, entropy);

    [Fact]
    public void Means_male_preference_and_bls_correlation_follow_the_definitions()
    {
        var metrics = WinogenderMetrics.Compute(
        [
            new(10, L(-10, 2), L(-12, 3), L(-11, 4)),   // female − male = −2
            new(50, L(-9, 2.5), L(-9, 3), L(-8, 4)),    // tie: male not more likely, 0
            new(90, L(-7, 3), L(-6, 3), L(-7, 1)),      // +1
        ]);
        Assert.Equal(-26.0 / 3, metrics["male_mean_ll"], 9);
        Assert.Equal(-9, metrics["female_mean_ll"], 9);
        Assert.Equal(-26.0 / 3, metrics["neutral_mean_ll"], 9);
        Assert.Equal(2.5, metrics["male_mean_entropy"], 9);
        Assert.Equal(3, metrics["female_mean_entropy"], 9);
        Assert.Equal(3, metrics["neutral_mean_entropy"], 9);
        Assert.Equal(100.0 / 3, metrics["pct_male_more_likely"], 9);
        // x = (−2, 0, 1), y = (10, 50, 90): Σdxdy = 120, Σdx² = 14/3, Σdy² = 3200.
        Assert.Equal(120 / Math.Sqrt(14.0 / 3 * 3200), metrics["bls_correlation"], 9);
    }

    [Fact]
    public void Correlation_is_absent_when_undefined()
    {
        Assert.False(WinogenderMetrics.Compute([new(10, L(-1, 1), L(-2, 1), L(-3, 1))]).ContainsKey("bls_correlation"));
    }
}
