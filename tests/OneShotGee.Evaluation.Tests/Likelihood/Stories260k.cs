using OneShotGee.Evaluation.Likelihood;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Evaluation.Tests.Likelihood;

/// <summary>The tiny pretrained stories260k Llama, loaded once per test class.</summary>
public sealed class Stories260k : IDisposable
{
    public static string Directory { get; } = Fixtures.PathOf("models/stories260k");

    /// <summary>Bias benchmark files of our own, in the layout of the real data directory (crows_pairs/, winobias/, …).</summary>
    public static string BiasFixtures { get; } = Fixtures.PathOf("data/bias");

    public CausalLM Model { get; } = CausalLM.FromPretrained(Directory);

    public ModelTokenizer Tokenizer { get; } = ModelTokenizer.FromDirectory(Directory);

    public SentenceScorer Scorer(int batchSize = 8) => new(Model, Tokenizer, batchSize);

    /// <summary>Σ_k log p(ids[k+1] | ids[..k]) for k ≥ from − 1: one unpadded float64 forward, no scorer code involved.</summary>
    public static double DirectLogLikelihood(CausalLM lm, IReadOnlyList<int> ids, int from = 1) => Direct(lm, ids, from).LogLikelihood;

    /// <summary>A whole sentence after BOS, computed directly: log-likelihood, token count and mean next-token entropy.</summary>
    public TextLikelihood DirectSentence(string sentence) => Direct(Model, Tokenizer.Encode(sentence), from: 1);

    /// <summary>The tokens of encode(context + continuation) past encode(context) (both after BOS), computed directly.</summary>
    public TextLikelihood DirectContinuation(string context, string continuation) =>
        Direct(Model, Tokenizer.Encode(context + continuation), from: Tokenizer.Encode(context).Count);

    static TextLikelihood Direct(CausalLM lm, IReadOnlyList<int> ids, int from)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count]);
        var logp = lm.call(input, ones_like(input), null)[0].to(ScalarType.Float64).log_softmax(-1);
        var entropy = -(logp.exp() * logp).sum(-1);
        var (sum, entropySum) = (0.0, 0.0);
        for (var k = from - 1; k < ids.Count - 1; k++)
        {
            sum += logp[k, ids[k + 1]].item<double>();
            entropySum += entropy[k].item<double>();
        }
        var count = ids.Count - from;
        return new TextLikelihood(sum, count, entropySum / count);
    }

    public void Dispose() => Model.Dispose();
}
