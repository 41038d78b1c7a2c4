namespace OneShotGee.Evaluation.Tests.Benchmarks;

static class MetricsAssert
{
    /// <summary>
    /// The same metric names with the same values. The tolerance covers the float32 scorer against the float64 direct
    /// forward on log-likelihood sums; a count-based percentage that differs by one item is off by far more.
    /// </summary>
    public static void Equal(IReadOnlyDictionary<string, double> expected, IReadOnlyDictionary<string, double> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
            Assert.True(Math.Abs(value - actual[name]) < 1e-3, $"{name}: expected {value}, got {actual[name]}");
    }

    /// <summary>The compared log-likelihoods are far enough apart that float32 scoring cannot flip a comparison.</summary>
    public static void NoNearTies(IEnumerable<double> differences) =>
        Assert.All(differences, d => Assert.True(Math.Abs(d) > 1e-3, $"a near tie ({d}) would make the expected metric fragile"));
}
