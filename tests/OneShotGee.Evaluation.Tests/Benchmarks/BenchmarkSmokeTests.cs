using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Tests.Likelihood;

namespace OneShotGee.Evaluation.Tests.Benchmarks;

/// <summary>Every benchmark reads the real files of the whole data sets and scores a small seeded subset on stories260k.</summary>
public sealed class BenchmarkSmokeTests(Stories260k stories) : IClassFixture<Stories260k>
{
    [SkippableFact]
    public void Every_benchmark_scores_a_seeded_subset_of_the_whole_data_set()
    {
        var data = TestData.PathOf("bias");
        // limit 2: two pairs, triples or questions; WinoBias takes two of each type, StereoSet two of each split.
        foreach (var (id, items) in new[] { ("crows", 2), ("winobias", 4), ("winogender", 2), ("stereoset", 4), ("bbq", 2) })
        {
            var result = LikelihoodBenchmarks.ById(id).Evaluate(stories.Scorer(), data, new ItemLimit(2, seed: 15));
            Assert.Equal((id, items), (result.Benchmark, result.Items));
            Assert.Matches("^[0-9a-f]{64}$", result.DatasetSha256);
            Assert.NotEmpty(result.Metrics);
            Assert.All(result.Metrics.Values, v => Assert.True(double.IsFinite(v), id));
        }
    }
}
