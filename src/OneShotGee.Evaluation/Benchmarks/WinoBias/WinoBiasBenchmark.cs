using OneShotGee.Core;
using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>WinoBias types 1 and 2 of one split: whole-sentence log-likelihood of the pro vs the anti sentence of each pair.</summary>
/// <param name="split">dev or test (default).</param>
public sealed class WinoBiasBenchmark(string split = "test") : ILikelihoodBenchmark
{
    readonly string split = split is "dev" or "test" ? split : throw new InvalidInputException($"WinoBias split must be dev or test, got '{split}'");

    public string Id => "winobias";

    /// <param name="limit">Applies to each type: N type-1 and N type-2 pairs.</param>
    public BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, ItemLimit? limit = null, CancellationToken ct = default)
    {
        var paths = new List<string>();
        var pairs = new List<WinoBiasPair>();
        var total = 0;
        foreach (var type in new[] { 1, 2 })
        {
            var pro = DataFiles.Require(dataDir, WinoBiasPair.FileName("pro", type, split), WinoBiasPair.Layout);
            var anti = DataFiles.Require(dataDir, WinoBiasPair.FileName("anti", type, split), WinoBiasPair.Layout);
            var all = WinoBiasPair.Read(pro, anti, type);
            pairs.AddRange(DataFiles.Draw(all, limit, $"'{pro}'"));
            total += all.Count;
            paths.AddRange([pro, anti]);
        }
        var ll = scorer.ScoreSentences([.. pairs.Select(p => p.Pro), .. pairs.Select(p => p.Anti)], ct);
        var scores = pairs.Select((p, i) => new WinoBiasPairScore(p.Type, ll[i].LogLikelihood, ll[pairs.Count + i].LogLikelihood)).ToList();
        return new BenchmarkResult(Id, WinoBiasMetrics.Compute(scores), pairs.Count, DataFiles.Sha256([.. paths])).DrawnFrom(total, limit);
    }
}
