using OneShotGee.Core.Gee;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Training;

/// <summary>
/// One micro-batch's prompts with the responses the model sampled for them, and each response's H_i as the sampler
/// saw it (the mean τ-entropy of the logits each token was drawn from, no grad). A response always holds at least one
/// token: a sequence that stops at once keeps its EOS id, so its entropy is that of the distribution that chose EOS.
/// </summary>
public sealed record Rollout(
    IReadOnlyList<IReadOnlyList<int>> Prompts,
    IReadOnlyList<IReadOnlyList<int>> Responses,
    IReadOnlyList<string> Groups,
    IReadOnlyList<double>? SampledEntropies = null)
{
    public int GeneratedTokens => Responses.Sum(r => r.Count);

    /// <summary>Generated tokens of each response, the weights of token-weighted entropy minimisation.</summary>
    public IReadOnlyList<int> TokenCounts => [.. Responses.Select(r => r.Count)];

    /// <summary>H_i [micro-batch]: the mean τ-entropy over each response's tokens, from one left-padded forward pass
    /// over prompt + response (differentiable unless called under no_grad).</summary>
    public Tensor SampleEntropies(CausalLM lm, double tau) => Score(lm, tau, reference: null).Entropies;

    /// <summary>
    /// H_i and, with a <paramref name="reference"/>, Σ_t KL(π_θ ‖ π_ref) over each response's tokens [micro-batch], at
    /// the same positions and temperature τ (<see cref="ReferenceKl"/>), from one forward pass of each model.
    /// Sequences are right-aligned, so the logits that produced the responses are among the last (longest response + 1)
    /// positions: only those go through the trained model's head.
    /// </summary>
    public (Tensor Entropies, Tensor? KlSums) Score(CausalLM lm, double tau, ReferencePolicy? reference)
    {
        using var scope = NewDisposeScope();
        var sequences = Prompts.Select((p, i) => (IReadOnlyList<int>)[.. p, .. Responses[i]]).ToList();
        var (ids, mask) = PaddedBatch.Left(sequences, lm.Config.VocabSize, lm.Device);
        var last = Responses.Max(r => r.Count) + 1;
        var starts = Responses.Select(r => last - r.Count).ToList();
        var generation = GenerationMask.FromSpans(starts, [.. Responses.Select(r => r.Count)], last, lm.Device);
        var logits = lm.LastLogits(ids, mask, last);
        var entropies = TokenEntropy.PerSample(logits, generation, tau).MoveToOuterDisposeScope();
        if (reference is null) return (entropies, null);
        var kl = ReferenceKl.Compute(logits, reference.LastLogits(lm, ids, mask, last), tau);
        return (entropies, ReferenceKl.SumOverGenerated(kl, generation).MoveToOuterDisposeScope());
    }
}
