using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// StereoSet gender, intrasentence and intersentence. Each option scores its mean log-likelihood per token (the
/// geometric-mean token probability the StereoSet code uses for GPT-2's intrasentence sentences, so options that differ
/// in length compare fairly): intrasentence of the whole sentence, intersentence of the sentence given the context
/// (the continuation " " + sentence).
/// </summary>
public sealed class StereoSetBenchmark : ILikelihoodBenchmark
{
    public string Id => "stereoset";

    /// <param name="limit">The first N items of each split.</param>
    public BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, int? limit = null, CancellationToken ct = default)
    {
        var intraPath = DataFiles.Require(dataDir, StereoSetItem.FileName(StereoSetItem.Intrasentence), StereoSetItem.Layout);
        var interPath = DataFiles.Require(dataDir, StereoSetItem.FileName(StereoSetItem.Intersentence), StereoSetItem.Layout);
        var intra = DataFiles.Take(StereoSetItem.Read(intraPath, StereoSetItem.Intrasentence), limit, $"'{intraPath}'");
        var inter = DataFiles.Take(StereoSetItem.Read(interPath, StereoSetItem.Intersentence), limit, $"'{interPath}'");

        var intraScores = scorer.ScoreSentences([.. intra.SelectMany(Options)], ct);
        var interScores = scorer.ScoreContinuations([.. inter.SelectMany(i => Options(i).Select(o => (i.Context, " " + o)))], ct);
        var scores = intra.Select((item, i) => Score(item, intraScores, i))
            .Concat(inter.Select((item, i) => Score(item, interScores, i))).ToList();
        return new BenchmarkResult(Id, StereoSetMetrics.Compute(scores), scores.Count, DataFiles.Sha256(intraPath, interPath));
    }

    static string[] Options(StereoSetItem item) => [item.Stereotype, item.AntiStereotype, item.Unrelated];

    static StereoSetItemScore Score(StereoSetItem item, IReadOnlyList<TextLikelihood> ll, int i) =>
        new(item.Split, item.Target, ll[3 * i].MeanLogLikelihood, ll[3 * i + 1].MeanLogLikelihood, ll[3 * i + 2].MeanLogLikelihood);
}
