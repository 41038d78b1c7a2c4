using OneShotGee.Evaluation.Paired;

namespace OneShotGee.Evaluation.Tests.Paired;

public class PairedEntropyResultTests
{
    static readonly PairedEntropyOptions Options = new() { BootstrapResamples = 200 };

    static PairedEntropyResult Result(string[] groups, params double[][] rows) => PairedEntropyResult.From(
        "hand", "sha", groups, [.. rows.Select((r, i) => new PairEntropies($"p{i}", r))],
        groups.ToDictionary(g => g, _ => 8.0), Options);

    [Fact]
    public void Group_means_gap_signed_gap_and_metrics()
    {
        var result = Result(["male", "female"], [2.0, 1.0], [3.0, 1.5], [1.0, 1.5]);
        Assert.Equal(2.0, result.GroupEntropies["male"], 12);
        Assert.Equal(4.0 / 3, result.GroupEntropies["female"], 12);
        Assert.Equal(2.0 / 3, result.Gap, 12);
        Assert.Equal(2.0 / 3, result.SignedGap!.Value, 12);
        Assert.Equal(("male", "female"), (result.Test.GroupA, result.Test.GroupB));
        Assert.InRange(result.Gap, result.GapInterval.Low, result.GapInterval.High);

        var metrics = result.ToBenchmarkResult();
        Assert.Equal("paired", metrics.Benchmark);
        Assert.Equal(3, metrics.Items);
        Assert.Equal(result.Gap, metrics.Metrics["gap"]);
        Assert.Equal(4.0 / 3, metrics.Metrics["h_female"], 12);
        Assert.Equal(result.GapInterval.High, metrics.Metrics["gap_ci_high"]);
        Assert.Equal(result.Test.TPValue, metrics.Metrics["t_p_value"]);
        Assert.Equal(8.0, metrics.Metrics["tokens_male"]);
    }

    [Fact]
    public void Signed_gap_is_negative_when_the_second_group_is_higher()
    {
        var result = Result(["male", "female"], [1.0, 2.0], [1.0, 3.0]);
        Assert.Equal(-1.5, result.SignedGap!.Value, 12);
        Assert.Equal(1.5, result.Gap, 12);
    }

    [Fact]
    public void Three_groups_test_the_highest_against_the_lowest()
    {
        var result = Result(["a", "b", "c"], [1.0, 3.0, 2.0], [1.2, 2.8, 2.0]);
        Assert.Null(result.SignedGap);
        Assert.Equal(1.8, result.Gap, 12);
        Assert.Equal(("b", "a"), (result.Test.GroupA, result.Test.GroupB));
        // H = 1.1, 2.9, 2.0 around their mean 2.0: variance (0.81 + 0.81 + 0) / 3.
        Assert.Equal(1.62 / 3, result.ToBenchmarkResult().Metrics["variance"], 12);
        Assert.DoesNotContain("variance", Result(["male", "female"], [2.0, 1.0]).ToBenchmarkResult().Metrics.Keys);
    }

    [Fact]
    public void Relative_reduction_against_a_baseline()
    {
        var baseline = Result(["male", "female"], [2.0, 1.0]);
        var debiased = Result(["male", "female"], [1.5, 1.25]);
        var worse = Result(["male", "female"], [1.0, 3.0]);
        Assert.Equal(0.75, debiased.RelativeReduction(baseline), 12);
        Assert.Equal(-1.0, worse.RelativeReduction(baseline), 12);
    }
}
