using OneShotGee.Evaluation.Paired;

namespace OneShotGee.Evaluation.Tests.Paired;

public class StatisticsTests
{
    [Fact]
    public void T_p_values_match_closed_forms_and_tables()
    {
        // t(1) is the Cauchy distribution: P(|T| ≥ 1) = 1/2.
        Assert.Equal(0.5, StudentT.TwoSidedPValue(1.0, 1), 1e-12);
        // t(2): P(|T| ≥ t) = 1 − t/√(2 + t²).
        Assert.Equal(1 - 1.5 / Math.Sqrt(2 + 1.5 * 1.5), StudentT.TwoSidedPValue(1.5, 2), 1e-12);
        Assert.Equal(1 - 1.5 / Math.Sqrt(2 + 1.5 * 1.5), StudentT.TwoSidedPValue(-1.5, 2), 1e-12);
        // Table critical values: t_{0.975}(10) = 2.228139, t_{0.995}(30) = 2.749996; the normal limit 1.959964.
        Assert.Equal(0.05, StudentT.TwoSidedPValue(2.228139, 10), 1e-6);
        Assert.Equal(0.01, StudentT.TwoSidedPValue(2.749996, 30), 1e-6);
        Assert.Equal(0.05, StudentT.TwoSidedPValue(1.959964, 1e7), 1e-6);
        Assert.Equal(1.0, StudentT.TwoSidedPValue(0, 5), 1e-12);
        Assert.Equal(Math.Log(24), StudentT.LogGamma(5), 1e-12);
        Assert.Equal(0.5 * Math.Log(Math.PI), StudentT.LogGamma(0.5), 1e-12);
    }

    [Fact]
    public void Paired_test_on_three_positive_differences()
    {
        var test = PairedStatistics.Test("male", [2, 4, 6], "female", [1, 2, 3], resamples: 100, seed: 1);
        // d = 1, 2, 3: mean 2, sd 1, t = 2√3, df 2; of the 8 sign vectors only ±(1,2,3) reach |sum| = 6.
        Assert.Equal(2, test.MeanDifference, 12);
        Assert.Equal(2 * Math.Sqrt(3), test.TStatistic, 12);
        Assert.Equal(2, test.DegreesOfFreedom);
        Assert.Equal(1 - 2 * Math.Sqrt(3) / Math.Sqrt(14), test.TPValue, 12);
        Assert.Equal(0.25, test.PermutationPValue, 12);
        Assert.Equal(8, test.PermutationResamples);
    }

    [Fact]
    public void Monte_Carlo_sign_flips_for_many_pairs()
    {
        var same = Enumerable.Repeat(1.0, 20).ToArray();
        var test = PairedStatistics.Test("a", same, "b", new double[20], resamples: 999, seed: 3);
        // Only the 2 of 2^20 all-equal sign vectors reach the observed sum: the estimate is (0 + 1)/(999 + 1) almost surely.
        Assert.Equal(0.001, test.PermutationPValue, 12);
        Assert.True(double.IsNaN(test.TStatistic)); // zero variance

        var noise = Enumerable.Range(0, 40).Select(i => Math.Sin(i * 1.7)).ToArray();
        var null_ = PairedStatistics.Test("a", noise, "b", new double[40], resamples: 4000, seed: 3);
        Assert.InRange(null_.PermutationPValue, null_.TPValue - 0.05, null_.TPValue + 0.05);
    }

    [Fact]
    public void Type7_quantiles()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(2.5, PairedStatistics.Quantile(sorted, 0.5), 12);
        Assert.Equal(1.75, PairedStatistics.Quantile(sorted, 0.25), 12);
        Assert.Equal(4, PairedStatistics.Quantile(sorted, 1), 12);
    }

    [Fact]
    public void Bootstrap_of_a_mean_matches_the_normal_interval()
    {
        var values = Enumerable.Range(0, 400).Select(i => new[] { Math.Sin(i * 0.37) * 2 + 1 }).ToArray();
        var x = values.Select(v => v[0]).ToArray();
        var mean = x.Average();
        var se = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length / x.Length);
        var ci = PairedStatistics.Bootstrap(values, s => s.Average(v => v[0]), resamples: 4000, seed: 5);
        Assert.Equal(mean - 1.96 * se, ci.Low, 0.15 * se * 1.96);
        Assert.Equal(mean + 1.96 * se, ci.High, 0.15 * se * 1.96);
        Assert.Equal(0.95, ci.Level);

        var constant = PairedStatistics.Bootstrap([[1.0, 3.0], [1.0, 3.0]], s => s[0][1] - s[0][0], 50, 1);
        Assert.Equal((2.0, 2.0), (constant.Low, constant.High));
    }
}
