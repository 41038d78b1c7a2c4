using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Scoring;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Evaluation.Likelihood;

/// <summary>
/// Log-likelihoods of whole sentences and of continuations given a context, as EleutherAI's lm-evaluation-harness
/// computes them for causal LMs (<c>loglikelihood</c> requests):
/// <list type="bullet">
/// <item>Every text is conditioned on one prefix token: the tokenizer's BOS when it has one (Llama 2 and 3: what
/// <see cref="ModelTokenizer.Encode(string)"/> adds by default), else its EOS (Qwen: <c>&lt;|endoftext|&gt;</c> or
/// <c>&lt;|im_end|&gt;</c>, whichever tokenizer_config.json names), the harness's <c>prefix_token_id</c>. The first
/// text token is thus predicted like every other one, never skipped. (The harness prepends this token only for an
/// empty context; we prepend it to contexts too, so a context's first token is conditioned the same way.)</item>
/// <item>A whole sentence scores all its tokens: the sum of log p(token | prefix, earlier tokens).</item>
/// <item>A continuation scores the tokens of encode(context + continuation) past the length of encode(context),
/// trailing whitespace of the context moving to the continuation first (the harness's <c>_encode_pair</c>): the
/// boundary is where the context's own encoding ends, even if a token merges across it.</item>
/// </list>
/// Texts are scored in batches of similar length (sorted, so little padding) by teacher forcing without gradients.
/// </summary>
public sealed class SentenceScorer
{
    readonly CausalLM lm;

    public SentenceScorer(CausalLM lm, ModelTokenizer tokenizer, int batchSize = 16)
    {
        if (batchSize < 1) throw new InvalidInputException($"batch size must be at least 1, got {batchSize}");
        this.lm = lm;
        Tokenizer = tokenizer;
        BatchSize = batchSize;
        PrefixId = tokenizer.BosId ?? (tokenizer.EosIds.Count > 0 ? tokenizer.EosIds[0]
            : throw new InvalidInputException("the tokenizer names neither a BOS nor an EOS token to condition sentences on"));
    }

    public ModelTokenizer Tokenizer { get; }

    public int BatchSize { get; }

    /// <summary>The token every scored text is conditioned on (BOS, else EOS).</summary>
    public int PrefixId { get; }

    /// <summary>log p(sentence) = Σ log p(token | prefix, earlier tokens) over all of the sentence's tokens.</summary>
    public IReadOnlyList<TextLikelihood> ScoreSentences(IReadOnlyList<string> sentences, CancellationToken ct = default) =>
        Score([.. sentences.Select((s, i) => SentenceRequest(s, i))], ct);

    /// <summary>log p(continuation | context), summed over the continuation's tokens.</summary>
    public IReadOnlyList<TextLikelihood> ScoreContinuations(
        IReadOnlyList<(string Context, string Continuation)> pairs, CancellationToken ct = default) =>
        Score([.. pairs.Select((p, i) => ContinuationRequest(p.Context, p.Continuation, i))], ct);

    ScoringRequest SentenceRequest(string sentence, int index)
    {
        var ids = Encode(sentence);
        return ids.Count > 1 ? new ScoringRequest(ids, 1) : throw new InvalidInputException($"sentence {index} is empty");
    }

    ScoringRequest ContinuationRequest(string context, string continuation, int index)
    {
        var trimmed = context.TrimEnd();
        continuation = context[trimmed.Length..] + continuation;
        var contextLength = Encode(trimmed).Count;
        var whole = Encode(trimmed + continuation);
        return whole.Count > contextLength
            ? new ScoringRequest(whole, contextLength)
            : throw new InvalidInputException($"continuation {index} ('{continuation}') encodes to no tokens after its context");
    }

    List<int> Encode(string text) => [PrefixId, .. Tokenizer.Encode(text, addSpecialTokens: false)];

    IReadOnlyList<TextLikelihood> Score(IReadOnlyList<ScoringRequest> requests, CancellationToken ct)
    {
        var results = new TextLikelihood[requests.Count];
        var byLength = Enumerable.Range(0, requests.Count).OrderByDescending(i => requests[i].Ids.Count).ToArray();
        foreach (var batch in byLength.Chunk(BatchSize))
        {
            ct.ThrowIfCancellationRequested();
            var scores = TokenScorer.Score(lm, [.. batch.Select(i => requests[i].Ids)]);
            for (var b = 0; b < batch.Length; b++)
                results[batch[b]] = Likelihood(scores[b], requests[batch[b]].ScoredFrom);
        }
        return results;
    }

    // TokenLogprobs[k] and Entropies[k] belong to the prediction of ids[k + 1].
    static TextLikelihood Likelihood(SequenceScore score, int scoredFrom)
    {
        var count = score.Ids.Count - scoredFrom;
        var logprobs = score.TokenLogprobs.Skip(scoredFrom - 1);
        var entropies = score.Entropies.Skip(scoredFrom - 1);
        return new TextLikelihood(logprobs.Sum(), count, entropies.Average());
    }
}
