using OneShotGee.Evaluation.Benchmarks;

namespace OneShotGee.Evaluation.Tests.Benchmarks;

public sealed class StereoSetMetricsTests
{
    [Fact]
    public void SS_and_LMS_are_averaged_over_target_terms_and_ICAT_combines_the_averages()
    {
        var metrics = StereoSetMetrics.Compute(
        [
            new("intrasentence", "mother", -1, -2, -3),    // stereotype wins; both beat unrelated: 2 of 2
            new("intrasentence", "mother", -2, -1, -1.5),  // anti wins; only anti beats unrelated: 1 of 2
            new("intrasentence", "mother", -1, -1, -0.5),  // tie: not stereotyped; neither beats unrelated
            new("intersentence", "he", -1, -3, -2),        // stereotype wins; only stereotype beats unrelated
        ]);
        // mother: SS 100/3, LMS 3/6 = 50; he: SS 100, LMS 50. Means: SS 200/3, LMS 50 (pooled items would give SS 50).
        Assert.Equal(200.0 / 3, metrics["ss"], 9);
        Assert.Equal(50, metrics["lms"], 9);
        Assert.Equal(50 * (100.0 / 3) / 50, metrics["icat"], 9);
        Assert.Equal(100.0 / 3, metrics["intrasentence_ss"], 9);
        Assert.Equal(50, metrics["intrasentence_lms"], 9);
        Assert.Equal(100, metrics["intersentence_ss"], 9);
        Assert.Equal(0, metrics["intersentence_icat"], 9);
    }

    [Fact]
    public void An_ideal_model_scores_ICAT_100()
    {
        var metrics = StereoSetMetrics.Compute([new("intrasentence", "she", -1, -2, -9), new("intrasentence", "she", -2, -1, -9)]);
        Assert.Equal((50.0, 100.0, 100.0), (metrics["ss"], metrics["lms"], metrics["icat"]));
    }
}
