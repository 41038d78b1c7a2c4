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

    /// <param name="limit">Applies to each split: N intrasentence and N intersentence items.</param>
    public BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, ItemLimit? limit = null, CancellationToken ct = default)
    {
        var intraPath = DataFiles.Require(dataDir, StereoSetItem.FileName(StereoSetItem.Intrasentence), StereoSetItem.Layout);
        var interPath = DataFiles.Require(dataDir, StereoSetItem.FileName(StereoSetItem.Intersentence), StereoSetItem.Layout);
        var allIntra = StereoSetItem.Read(intraPath, StereoSetItem.Intrasentence);
        var allInter = StereoSetItem.Read(interPath, StereoSetItem.Intersentence);
        var intra = DataFiles.Draw(allIntra, limit, $"'{intraPath}'");
        var inter = DataFiles.Draw(allInter, limit, $"'{interPath}'");

        var intraScores = scorer.ScoreSentences([.. intra.SelectMany(Options)], ct);
        var interScores = scorer.ScoreContinuations([.. inter.SelectMany(i => Options(i).Select(o => (i.Context, " " + o)))], ct);
        var scores = intra.Select((item, i) => Score(item, intraScores, i))
            .Concat(inter.Select((item, i) => Score(item, interScores, i))).ToList();
        return new BenchmarkResult(Id, StereoSetMetrics.Compute(scores), scores.Count, DataFiles.Sha256(intraPath, interPath))
            .DrawnFrom(allIntra.Count + allInter.Count, limit);
    }

    static string[] Options(StereoSetItem item) => [item.Stereotype, item.AntiStereotype, item.Unrelated];

    static StereoSetItemScore Score(StereoSetItem item, IReadOnlyList<TextLikelihood> ll, int i) =>
        new(item.Split, item.Target, ll[3 * i].MeanLogLikelihood, ll[3 * i + 1].MeanLogLikelihood, ll[3 * i + 2].MeanLogLikelihood);
}
