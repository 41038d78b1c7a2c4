using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Scoring;

/// <summary>Scores given id sequences by teacher forcing: one left-padded forward pass per batch.</summary>
public static class TokenScorer
{
    public static IReadOnlyList<SequenceScore> Score(CausalLM lm, IReadOnlyList<IReadOnlyList<int>> sequences)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (ids, mask) = PaddedBatch.Left(sequences, lm.Config.VocabSize, lm.Device);
        var logits = lm.call(ids, mask, null).to(ScalarType.Float32);
        var logp = logits.log_softmax(-1);
        var targets = ids.narrow(1, 1, ids.shape[1] - 1).unsqueeze(-1);
        var tokenLogprobs = logp.narrow(1, 0, ids.shape[1] - 1).gather(-1, targets).squeeze(-1).to(ScalarType.Float64).cpu();
        // In float64 one sequence at a time: all of [batch, seq, vocab] at once is 20 GB at 8 × 512 tokens of a 152k
        // vocabulary, one sequence 0.6 GB (float32 would miss the references' 1e-5 at ln 152k ≈ 11.9 nats).
        var entropies = cat([.. Enumerable.Range(0, (int)logits.shape[0]).Select(row => LogitsProcessors.Entropy(logits[row..(row + 1)]))]).cpu();

        var longest = (int)ids.shape[1];
        var lp = tokenLogprobs.data<double>().ToArray();
        var h = entropies.data<double>().ToArray();
        return [.. sequences.Select((seq, row) =>
        {
            // Row r holds seq right-aligned: its position k sits at column longest − n + k.
            var start = longest - seq.Count;
            var count = seq.Count - 1;
            return new SequenceScore(seq,
                lp.AsSpan(row * (longest - 1) + start, count).ToArray(),
                h.AsSpan(row * longest + start, count).ToArray());
        })];
    }
}
