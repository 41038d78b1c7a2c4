using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Scoring;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Scoring;

public sealed class TokenScorerTests
{
    [Fact]
    public void Scores_are_log_softmax_of_the_next_token_and_independent_of_batch_padding()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama() with { InitializerRange = 0.3 }, seed: 12);
        int[] seq = [4, 8, 15, 16, 23];
        var alone = TokenScorer.Score(lm, [seq])[0];
        var batched = TokenScorer.Score(lm, [[1, 2, 3, 4, 5, 6, 7, 8], seq, [9]]);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(seq.Select(i => (long)i).ToArray(), [1, seq.Length]);
        var logits = lm.call(ids, ones_like(ids), null)[0].to(ScalarType.Float64);
        for (var k = 0; k < seq.Length - 1; k++)
        {
            var expected = (logits[k, seq[k + 1]] - logits[k].logsumexp(0)).item<double>();
            Assert.Equal(expected, alone.TokenLogprobs[k], 5);
            Assert.Equal(alone.TokenLogprobs[k], batched[1].TokenLogprobs[k], 5);
            Assert.Equal(alone.Entropies[k], batched[1].Entropies[k], 5);
        }
        Assert.Equal(alone.TokenLogprobs.Sum(), alone.SumLogprob, 10);
        Assert.Empty(batched[2].TokenLogprobs); // a single token has nothing to predict
        Assert.Equal(7, batched[0].Entropies.Count);
    }
}
