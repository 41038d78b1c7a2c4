using OneShotGee.Core.Gee;

namespace OneShotGee.Core.Tests.Gee;

public class LambdaAnnealerTests
{
    static readonly GeeOptions Options = new() { Groups = ["m", "f"], Lambda = 3.0, AutoAnneal = true };

    [Fact]
    public void LambdaFollowsTheGapRelativeToTheFirstPositiveGap()
    {
        var annealer = new LambdaAnnealer(Options);
        // gap 0 first: no ratio yet, λ_0; then gap_0 = 0.4 and λ_t = 3·gap_t/0.4.
        double[] gaps = [0, 0.4, 0.2, 0.1, 0, 0.5];
        double[] expected = [3, 3, 1.5, 0.75, 0, 3.75];
        var lambdas = gaps.Select(annealer.Next).ToArray();
        for (var t = 0; t < gaps.Length; t++) Assert.Equal(expected[t], lambdas[t], 12);
        Assert.Equal(0.4, annealer.InitialGap);
    }

    [Fact]
    public void WithoutAutoAnnealLambdaIsConstant()
    {
        var annealer = new LambdaAnnealer(Options with { AutoAnneal = false });
        Assert.All(new[] { 0.4, 0.1, 2.0 }.Select(annealer.Next), l => Assert.Equal(3.0, l));
        Assert.Null(annealer.InitialGap);
    }

    [Fact]
    public void NonFiniteGapPropagatesToLambdaAndIsNotTakenAsGap0()
    {
        var annealer = new LambdaAnnealer(Options);
        Assert.Equal(3.0, annealer.Next(double.NaN));
        Assert.Null(annealer.InitialGap);
        annealer.Next(0.2);
        Assert.True(double.IsNaN(annealer.Next(double.NaN)));
    }
}
