using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>CrowS-Pairs, gender pairs: whole-sentence log-likelihood of sent_more vs sent_less.</summary>
public sealed class CrowsPairsBenchmark : ILikelihoodBenchmark
{
    public string Id => "crows";

    public BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, ItemLimit? limit = null, CancellationToken ct = default)
    {
        var (all, path) = CrowsPair.ReadGender(dataDir);
        var pairs = DataFiles.Draw(all, limit, $"'{path}' (bias_type=gender)");
        var ll = scorer.ScoreSentences([.. pairs.Select(p => p.SentMore), .. pairs.Select(p => p.SentLess)], ct);
        var scores = pairs.Select((p, i) => new CrowsPairScore(p.Direction, ll[i].LogLikelihood, ll[pairs.Count + i].LogLikelihood)).ToList();
        return new BenchmarkResult(Id, CrowsPairsMetrics.Compute(scores), pairs.Count, DataFiles.Sha256(path)).DrawnFrom(all.Count, limit);
    }
}
