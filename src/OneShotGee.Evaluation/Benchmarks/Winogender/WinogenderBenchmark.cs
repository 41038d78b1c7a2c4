using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>Winogender schemas: whole-sentence log-likelihood and mean token entropy of the male, female and neutral variants.</summary>
public sealed class WinogenderBenchmark : ILikelihoodBenchmark
{
    public string Id => "winogender";

    public BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, ItemLimit? limit = null, CancellationToken ct = default)
    {
        var sentencesPath = DataFiles.Require(dataDir, Path.Combine("winogender", "all_sentences.tsv"), WinogenderTriple.Layout);
        var statsPath = DataFiles.Require(dataDir, Path.Combine("winogender", "occupations-stats.tsv"), WinogenderTriple.Layout);
        var all = WinogenderTriple.Read(sentencesPath, statsPath);
        var triples = DataFiles.Draw(all, limit, $"'{sentencesPath}'");
        var n = triples.Count;
        var ll = scorer.ScoreSentences([.. triples.Select(t => t.Male), .. triples.Select(t => t.Female), .. triples.Select(t => t.Neutral)], ct);
        var scores = triples.Select((t, i) => new WinogenderTripleScore(t.BlsPctFemale, ll[i], ll[n + i], ll[2 * n + i])).ToList();
        return new BenchmarkResult(Id, WinogenderMetrics.Compute(scores), n, DataFiles.Sha256(sentencesPath, statsPath)).DrawnFrom(all.Count, limit);
    }
}
