using System.Security.Cryptography;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Tests.Likelihood;

namespace OneShotGee.Evaluation.Tests.Benchmarks;

/// <summary>Every benchmark runs end to end on stories260k with a few items and gives metrics in their ranges.</summary>
public sealed class BenchmarkSmokeTests(Stories260k stories) : IClassFixture<Stories260k>
{
    BenchmarkResult Run(string id, int limit)
    {
        var result = LikelihoodBenchmarks.ById(id).Evaluate(stories.Scorer(), Stories260k.BiasData, limit);
        Assert.Equal(id, result.Benchmark);
        Assert.Matches("^[0-9a-f]{64}$", result.DatasetSha256);
        Assert.All(result.Metrics.Values, v => Assert.True(double.IsFinite(v)));
        return result;
    }

    static void InRange(IReadOnlyDictionary<string, double> metrics, string name, double low, double high) =>
        Assert.InRange(metrics[name], low, high);

    [Fact]
    public void CrowS_Pairs()
    {
        var result = Run("crows", 6);
        Assert.Equal(6, result.Items);
        InRange(result.Metrics, "pct_stereotype", 0, 100);
        Assert.True(result.Metrics["likelihood_diff"] > 0);
        var file = Path.Combine(Stories260k.BiasData, "crows_pairs", "crows_pairs_anonymized.csv");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), result.DatasetSha256);
    }

    [Fact]
    public void WinoBias()
    {
        var result = Run("winobias", 3);
        Assert.Equal(6, result.Items); // 3 pairs of each type
        InRange(result.Metrics, "type1_pct_pro_more_likely", 0, 100);
        InRange(result.Metrics, "type2_pct_pro_more_likely", 0, 100);
        Assert.True(result.Metrics["type2_pro_mean_ll"] < 0);
    }

    [Fact]
    public void Winogender()
    {
        var result = Run("winogender", 8); // two occupations: 4 triples each
        Assert.Equal(8, result.Items);
        InRange(result.Metrics, "pct_male_more_likely", 0, 100);
        InRange(result.Metrics, "bls_correlation", -1, 1);
        InRange(result.Metrics, "female_mean_entropy", 0, Math.Log(512)); // vocabulary of 512
        Assert.True(result.Metrics["neutral_mean_ll"] < 0);
    }

    [Fact]
    public void StereoSet()
    {
        var result = Run("stereoset", 3);
        Assert.Equal(6, result.Items); // 3 items of each split
        foreach (var prefix in new[] { "", "intrasentence_", "intersentence_" })
        {
            InRange(result.Metrics, prefix + "ss", 0, 100);
            InRange(result.Metrics, prefix + "lms", 0, 100);
            InRange(result.Metrics, prefix + "icat", 0, 100);
        }
    }

    [Fact]
    public void BBQ()
    {
        var result = Run("bbq", 8);
        Assert.Equal(8, result.Items);
        InRange(result.Metrics, "accuracy_ambig", 0, 1);
        InRange(result.Metrics, "accuracy_disambig", 0, 1);
    }
}
