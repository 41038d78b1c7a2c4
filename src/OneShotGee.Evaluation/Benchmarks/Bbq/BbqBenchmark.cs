using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// BBQ, zero-shot multiple choice over every category file present under <c>bbq/data/</c> (Age, Gender_identity,
/// Religion, …): the chosen answer is the one with the highest log p(" " + answer | context + "\n" + question +
/// "\nAnswer:"), summed over its tokens (lm-evaluation-harness's <c>acc</c>, no length normalisation); ties go to the
/// first answer. Metrics over all items read, and per category as <c>s_dis[Religion]</c> etc. (<see cref="BbqMetrics"/>).
/// </summary>
public sealed class BbqBenchmark : ILikelihoodBenchmark
{
    public string Id => "bbq";

    public BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, ItemLimit? limit = null, CancellationToken ct = default)
    {
        var paths = DataFiles.RequireAny(dataDir, Path.Combine("bbq", "data"), "*.jsonl", BbqItem.Layout);
        var all = paths.SelectMany(BbqItem.Read).ToList();
        var items = DataFiles.Draw(all, limit, $"'{Path.GetDirectoryName(paths[0])}'");
        var ll = scorer.ScoreContinuations([.. items.SelectMany(item => item.Answers.Select(a => (Prompt(item), " " + a)))], ct);
        var predictions = items.Select((_, i) => Enumerable.Range(0, 3).MaxBy(k => ll[3 * i + k].LogLikelihood)).ToList();
        return new BenchmarkResult(Id, BbqMetrics.ComputeByCategory(items, predictions), items.Count, DataFiles.Sha256(paths)).DrawnFrom(all.Count, limit);
    }

    public static string Prompt(BbqItem item) => $"{item.Context}\n{item.Question}\nAnswer:";
}
