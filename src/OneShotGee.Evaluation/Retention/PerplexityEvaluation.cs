using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Scoring;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Evaluation.Retention;

/// <summary>Held-out perplexity exp(−Σ log p / N) over all N predicted tokens of all texts (each text starts fresh).</summary>
public sealed record PerplexityResult(double Perplexity, double NegativeLogLikelihood, long Tokens, int Texts, string DatasetSha256)
{
    /// <summary>Perplexity on text to keep (retention), and on text that carries the bias (reported apart).</summary>
    public const string Benchmark = "perplexity", GenderedBenchmark = "gendered-perplexity";

    public BenchmarkResult ToBenchmarkResult(string benchmark = Benchmark) => new(benchmark, new Dictionary<string, double>
    {
        ["perplexity"] = Perplexity,
        ["nll_per_token"] = NegativeLogLikelihood,
        ["tokens"] = Tokens,
    }, Texts, DatasetSha256);
}

public static class PerplexityEvaluation
{
    /// <summary>
    /// Held-out texts: the non-blank lines of a <c>.txt</c> file, else one column of a JSON-lines or Parquet file.
    /// </summary>
    public static (IReadOnlyList<string> Texts, string Sha256) ReadTexts(string path, string column = "text")
    {
        if (!File.Exists(path)) throw new InvalidInputException($"held-out text file '{path}' does not exist");
        IReadOnlyList<string> texts = Path.GetExtension(path).Equals(".txt", StringComparison.OrdinalIgnoreCase)
            ? [.. File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l))]
            : TextColumnReader.Read(path, column);
        if (texts.Count == 0) throw new InvalidInputException($"held-out text file '{path}' has no text");
        return (texts, DatasetHash.Of(path));
    }

    /// <summary>
    /// Each text is encoded with the tokenizer's default special tokens (BOS where the model uses one) and cut to
    /// <paramref name="maxTokens"/>; every token after the first is predicted and counted.
    /// </summary>
    public static PerplexityResult Evaluate(
        CausalLM lm, ModelTokenizer tokenizer, IReadOnlyList<string> texts, string datasetSha256,
        int batchSize = 8, int maxTokens = 512, CancellationToken ct = default)
    {
        if (batchSize < 1) throw new InvalidInputException($"batch size must be at least 1, got {batchSize}");
        if (maxTokens < 2) throw new InvalidInputException($"max tokens must be at least 2, got {maxTokens}");
        var sequences = texts.Select(t => tokenizer.Encode(t)).Select(ids => ids.Count > maxTokens ? ids.Take(maxTokens).ToArray() : ids)
            .Where(ids => ids.Count >= 2).ToArray();
        if (sequences.Length == 0) throw new InvalidInputException("no held-out text has two or more tokens to score");
        double sum = 0;
        long count = 0;
        foreach (var batch in sequences.Chunk(batchSize))
        {
            ct.ThrowIfCancellationRequested();
            foreach (var score in TokenScorer.Score(lm, batch))
            {
                sum += score.SumLogprob;
                count += score.TokenLogprobs.Count;
            }
        }
        var nll = -sum / count;
        return new PerplexityResult(Math.Exp(nll), nll, count, texts.Count, datasetSha256);
    }
}
