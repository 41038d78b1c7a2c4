using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>A bias benchmark scored by comparing log-likelihoods; its data files live under a user-given data directory.</summary>
public interface ILikelihoodBenchmark
{
    /// <summary>Short id, as <see cref="BenchmarkResult.Benchmark"/> and <c>--benchmarks</c> name it.</summary>
    string Id { get; }

    /// <param name="limit">Score only the first N items (pairs, triples, questions) — for quick suites and tests.</param>
    BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, int? limit = null, CancellationToken ct = default);
}
