using System.Diagnostics;
using OneShotGee.Core.Gee;
using OneShotGee.Data;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using static TorchSharp.torch;

namespace OneShotGee.Training;

/// <summary>What accumulating one step's gradient measured; <c>SampleEntropies</c> in the order of the micro-batches' rows.</summary>
public sealed record GradientResult(GeeStepMetrics Gee, int GeneratedTokens, double SamplingSeconds, IReadOnlyList<double> SampleEntropies);

/// <summary>
/// One optimizer step's GEE gradient, accumulated on the model's parameters: sample a response per prompt, take the
/// τ-entropy H_i of each response, backpropagate the loss. λ comes from one <see cref="LambdaAnnealer"/> owned here
/// (its state is saved in checkpoints); each loss is then built with that λ held fixed. With a
/// <paramref name="reference"/> the loss gains the KL anchor β·(mean KL(π_θ ‖ π_ref) per generated token), which the
/// group statistics do not touch.
/// </summary>
public sealed class GeeGradient(ResponseSampler sampler, TrainOptions options, GeeOptions gee, LambdaAnnealer annealer,
    ReferencePolicy? reference = null)
{
    public GradientResult Accumulate(CausalLM lm, IReadOnlyList<IReadOnlyList<PreparedRow>> microBatches, int step) =>
        options.GroupStats == GroupStatsMode.Batch ? TwoPass(lm, microBatches, step) : PerMicroBatch(lm, microBatches, step);

    /// <summary>Exact: pass 1 samples everything and takes every H_i without grad, so c_i = ∂L/∂H_i sees the whole
    /// batch; pass 2 recomputes each micro-batch with grad and backpropagates Σ c_i·H_i (<see cref="TwoPassGee"/>) plus
    /// its share of the KL anchor, β·Σ KL / (the step's generated tokens), known since sampling.</summary>
    GradientResult TwoPass(CausalLM lm, IReadOnlyList<IReadOnlyList<PreparedRow>> microBatches, int step)
    {
        var sampling = Stopwatch.StartNew();
        var rollouts = sampler.SampleStep(lm, microBatches, step);
        sampling.Stop();
        var entropies = PassOneEntropies(lm, rollouts, step);
        var groups = rollouts.SelectMany(r => r.Groups).ToList();
        var lambda = annealer.Next(GroupEntropyStatistics.Of(entropies, groups, gee.Groups).EntropyGap);
        var (coefficients, metrics) = new TwoPassGee(gee with { Lambda = lambda, AutoAnneal = false })
            .Coefficients(entropies, groups, step, [.. rollouts.SelectMany(r => r.TokenCounts)]);
        metrics.EnsureFinite();

        var (offset, tokens, klSum) = (0, rollouts.Sum(r => r.GeneratedTokens), 0.0);
        foreach (var (rollout, k) in rollouts.Select((r, k) => (r, k)))
        {
            using var scope = NewDisposeScope();
            LoraAdapter.SeedDropout(lm, DropoutSeed(options.Seed, step, k));
            var (h, kl) = rollout.Score(lm, options.Tau, reference);
            var loss = TwoPassGee.SurrogateLoss(h, coefficients[offset..(offset + rollout.Groups.Count)]);
            if (kl is not null)
            {
                loss += ReferenceKl.AnchorTerm(kl, options.KlCoef, tokens);
                klSum += Values(kl).Sum();
            }
            loss.backward();
            offset += rollout.Groups.Count;
        }
        if (reference is not null) metrics = metrics.WithKlAnchor(options.KlCoef, klSum / tokens).EnsureFinite();
        return new(metrics, tokens, sampling.Elapsed.TotalSeconds, entropies);
    }

    /// <summary>
    /// Pass 1's H_i of every sample. Without dropout the model of pass 2 is the one that sampled, so the sampler's
    /// entropies (τ applied to the very logits each token was drawn from) are these values up to the float rounding of
    /// a cached against a whole-sequence forward, and no forward is repeated. With LoRA dropout pass 2 sees masks the
    /// sampler (eval mode) did not: each micro-batch is recomputed without grad under pass 2's masks.
    /// </summary>
    List<double> PassOneEntropies(CausalLM lm, IReadOnlyList<Rollout> rollouts, int step)
    {
        if (!(lm.training && LoraAdapter.HasDropout(lm)) && rollouts.All(r => r.SampledEntropies is not null))
            return [.. rollouts.SelectMany(r => r.SampledEntropies!)];
        var entropies = new List<double>();
        foreach (var (rollout, k) in rollouts.Select((r, k) => (r, k)))
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            LoraAdapter.SeedDropout(lm, DropoutSeed(options.Seed, step, k));
            entropies.AddRange(Values(rollout.SampleEntropies(lm, options.Tau)));
        }
        return entropies;
    }

    /// <summary>The seed's approximation: each micro-batch's own GEE loss (with the KL anchor over its own tokens),
    /// divided by the number of micro-batches. The reported H̄, H_g and gap are still those of the whole step's samples;
    /// loss, λ and KL are micro-batch means.</summary>
    GradientResult PerMicroBatch(CausalLM lm, IReadOnlyList<IReadOnlyList<PreparedRow>> microBatches, int step)
    {
        var sampling = Stopwatch.StartNew();
        var rollouts = sampler.SampleStep(lm, microBatches, step);
        sampling.Stop();
        var parts = new List<GeeStepMetrics>();
        var entropies = new List<double>();
        var groups = new List<string>();
        foreach (var (rollout, k) in rollouts.Select((r, k) => (r, k)))
        {
            using var scope = NewDisposeScope();
            LoraAdapter.SeedDropout(lm, DropoutSeed(options.Seed, step, k));
            var (h, kl) = rollout.Score(lm, options.Tau, reference);
            var values = Values(h);
            var lambda = annealer.Next(GroupEntropyStatistics.Of(values, rollout.Groups, gee.Groups).EntropyGap);
            var (loss, metrics) = new GroupEntropyEqualizationLoss(gee with { Lambda = lambda, AutoAnneal = false })
                .Forward(h, rollout.Groups, step, rollout.TokenCounts);
            if (kl is not null)
            {
                loss += ReferenceKl.AnchorTerm(kl, options.KlCoef, rollout.GeneratedTokens);
                metrics = metrics.WithKlAnchor(options.KlCoef, Values(kl).Sum() / rollout.GeneratedTokens);
            }
            parts.Add(metrics.EnsureFinite());
            (loss / rollouts.Count).backward();
            entropies.AddRange(values);
            groups.AddRange(rollout.Groups);
        }
        var whole = GroupEntropyStatistics.Of(entropies, groups, gee.Groups);
        var combined = new GeeStepMetrics(step, parts.Average(m => m.Loss), parts.Average(m => m.LossEm),
            parts.Average(m => m.LossBias), whole.MeanEntropy, whole.GroupEntropies, whole.EntropyGap,
            parts.Average(m => m.Lambda), whole.MissingGroups)
        {
            Kl = reference is null ? null : parts.Average(m => m.Kl!.Value),
            LossKl = parts.Average(m => m.LossKl),
        };
        return new(combined, rollouts.Sum(r => r.GeneratedTokens), sampling.Elapsed.TotalSeconds, entropies);
    }

    /// <summary>
    /// The LoRA dropout seed of micro-batch k's entropy pass at a step, from (seed, step, micro-batch) as the sampling
    /// seed is but on its own stream (negative): both passes of two-pass GEE, and a resumed run, draw the same masks.
    /// </summary>
    public static long DropoutSeed(int seed, int step, int microBatchIndex) => SeedSequence.Derive(seed, step, -(microBatchIndex + 1L));

    static double[] Values(Tensor h) => h.detach().to(ScalarType.Float64).cpu().data<double>().ToArray();
}
