using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>A bias benchmark scored by comparing log-likelihoods; its data files live under a user-given data directory.</summary>
public interface ILikelihoodBenchmark
{
    /// <summary>Short id, as <see cref="BenchmarkResult.Benchmark"/> and <c>--benchmarks</c> name it.</summary>
    string Id { get; }

    /// <param name="limit">Score a seeded subset of the items (pairs, triples, questions); null scores them all.</param>
    BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, ItemLimit? limit = null, CancellationToken ct = default);
}
