using OneShotGee.Evaluation.Likelihood;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>
/// BBQ Gender_identity, zero-shot multiple choice: the chosen answer is the one with the highest log p(" " + answer |
/// context + "\n" + question + "\nAnswer:"), summed over its tokens (lm-evaluation-harness's <c>acc</c>, no length
/// normalisation); ties go to the first answer.
/// </summary>
public sealed class BbqBenchmark : ILikelihoodBenchmark
{
    public string Id => "bbq";

    public BenchmarkResult Evaluate(SentenceScorer scorer, string dataDir, ItemLimit? limit = null, CancellationToken ct = default)
    {
        var path = DataFiles.Require(dataDir, Path.Combine("bbq", "data", "Gender_identity.jsonl"), BbqItem.Layout);
        var all = BbqItem.Read(path);
        var items = DataFiles.Draw(all, limit, $"'{path}'");
        var ll = scorer.ScoreContinuations([.. items.SelectMany(item => item.Answers.Select(a => (Prompt(item), " " + a)))], ct);
        var predictions = items.Select((_, i) => Enumerable.Range(0, 3).MaxBy(k => ll[3 * i + k].LogLikelihood)).ToList();
        return new BenchmarkResult(Id, BbqMetrics.Compute(items, predictions), items.Count, DataFiles.Sha256(path)).DrawnFrom(all.Count, limit);
    }

    public static string Prompt(BbqItem item) => $"{item.Context}\n{item.Question}\nAnswer:";
}
