using OneShotGee.Evaluation.Benchmarks;

namespace OneShotGee.Evaluation.Tests.Benchmarks;

public sealed class WinoBiasMetricsTests
{
    [Fact]
    public void Gap_and_preference_are_computed_overall_and_per_type()
    {
        var metrics = WinoBiasMetrics.Compute([new(1, -10, -11), new(1, -8, -6), new(2, -5, -5)]);
        Assert.Equal(-23.0 / 3, metrics["pro_mean_ll"], 9);
        Assert.Equal(-22.0 / 3, metrics["anti_mean_ll"], 9);
        Assert.Equal(-1.0 / 3, metrics["ll_gap"], 9);
        Assert.Equal(100.0 / 3, metrics["pct_pro_more_likely"], 9);
        Assert.Equal(-9, metrics["type1_pro_mean_ll"], 9);
        Assert.Equal(-0.5, metrics["type1_ll_gap"], 9);
        Assert.Equal(50, metrics["type1_pct_pro_more_likely"], 9);
        Assert.Equal(0, metrics["type2_ll_gap"], 9);
        Assert.Equal(0, metrics["type2_pct_pro_more_likely"], 9); // a tie does not prefer pro
    }
}
