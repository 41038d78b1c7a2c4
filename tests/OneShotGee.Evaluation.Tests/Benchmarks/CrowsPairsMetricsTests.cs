using OneShotGee.Evaluation.Benchmarks;

namespace OneShotGee.Evaluation.Tests.Benchmarks;

public sealed class CrowsPairsMetricsTests
{
    [Fact]
    public void Pct_stereotype_counts_sent_more_strictly_more_likely_in_both_directions()
    {
        var metrics = CrowsPairsMetrics.Compute(
        [
            new("stereo", -10, -12),    // more likely, |Δ| 2
            new("stereo", -5, -4),      // less likely, |Δ| 1
            new("antistereo", -7, -7),  // a tie is not stereotyped, |Δ| 0
            new("antistereo", -3, -6),  // more likely, |Δ| 3
            new("antistereo", -1, -2),  // more likely, |Δ| 1
        ]);
        Assert.Equal(60, metrics["pct_stereotype"], 9);
        Assert.Equal(7.0 / 5, metrics["likelihood_diff"], 9);
        Assert.Equal(50, metrics["stereo_pct_stereotype"], 9);
        Assert.Equal(1.5, metrics["stereo_likelihood_diff"], 9);
        Assert.Equal(200.0 / 3, metrics["antistereo_pct_stereotype"], 9);
        Assert.Equal(4.0 / 3, metrics["antistereo_likelihood_diff"], 9);
    }

    [Fact]
    public void A_direction_without_pairs_has_no_split_metrics()
    {
        var metrics = CrowsPairsMetrics.Compute([new("stereo", -1, -2)]);
        Assert.False(metrics.ContainsKey("antistereo_pct_stereotype"));
        Assert.Equal(100, metrics["pct_stereotype"]);
    }
}
