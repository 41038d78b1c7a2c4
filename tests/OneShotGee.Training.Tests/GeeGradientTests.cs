using OneShotGee.Core.Gee;
using OneShotGee.Data;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using static TorchSharp.torch;

namespace OneShotGee.Training.Tests;

public sealed class GeeGradientTests : IDisposable
{
    readonly TrainingRun run = new();
    readonly CausalLM lm = CausalLM.FromPretrained(TrainingRun.ModelPath);
    readonly ResponseSampler sampler;
    readonly TrainOptions options;
    readonly GeeOptions gee;
    readonly IReadOnlyList<IReadOnlyList<PreparedRow>> microBatches;

    public GeeGradientTests()
    {
        options = run.Options();
        var tokenizer = ModelTokenizer.FromDirectory(TrainingRun.ModelPath);
        sampler = new ResponseSampler(PromptEncoder.For(tokenizer), options);
        var data = PreparedDataset.Read(run.DataPath);
        gee = options.GeeOptions(data.Groups);
        microBatches = new PairBatchSampler(data.Rows, data.Groups, seed: 15).Next(count: 2, microBatch: 2);
    }

    public void Dispose()
    {
        lm.Dispose();
        run.Dispose();
    }

    Dictionary<string, Tensor> TakeGradients()
    {
        var grads = lm.named_parameters().Where(p => p.parameter.requires_grad).ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        foreach (var p in lm.parameters()) p.grad = null;
        return grads;
    }

    static void AssertClose(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual, double atol = 1e-7)
    {
        foreach (var (name, e) in expected)
            Assert.True(actual[name].allclose(e, rtol: 1e-4, atol: atol), $"{name}: max diff {(actual[name] - e).abs().max().item<float>()}");
    }

    [Fact]
    public void TwoPassAccumulatesTheGradientOfTheWholeBatchLoss()
    {
        var result = new GeeGradient(sampler, options, gee, new LambdaAnnealer(gee)).Accumulate(lm, microBatches, step: 1);
        var twoPass = TakeGradients();

        // Reference: the same samples (seeded by step and micro-batch), all entropies in one graph, one loss. The two-pass
        // coefficients came from the sampler's entropies (no dropout here), the reference's from a whole-sequence forward.
        var rollouts = sampler.SampleStep(lm, microBatches, step: 1);
        var h = cat(rollouts.Select(r => r.SampleEntropies(lm, options.Tau)).ToList());
        var (loss, metrics) = new GroupEntropyEqualizationLoss(gee).Forward(h, [.. rollouts.SelectMany(r => r.Groups)], step: 1);
        loss.backward();

        // The coefficients differ from the reference's by the float32 rounding of a cached forward against a whole-sequence
        // one (~1e-6 relative): the same bound relative to the largest gradient as the dropout test below.
        var largest = twoPass.Values.Max(g => g.abs().max().item<float>());
        AssertClose(TakeGradients(), twoPass, atol: 1e-6 * largest);
        Assert.Equal(metrics.Loss, result.Gee.Loss, 5);
        Assert.Equal(metrics.EntropyGap, result.Gee.EntropyGap, 5);
        Assert.Equal(4 * options.MaxNewTokens, result.GeneratedTokens);
    }

    [Fact]
    public void TwoPassWithLoraDropoutAccumulatesTheGradientOfTheWholeBatchLoss()
    {
        var lora = new Modeling.Lora.LoraOptions(rank: 4, alpha: 8, dropout: 0.3);
        Modeling.Lora.LoraAdapter.Apply(lm, lora, seed: 15);
        // A nonzero B, so that dropout on the adapter input changes the entropies and their gradient w.r.t. A; drawn from
        // its own generator, since torch's global one is shared with the tests running beside this one.
        using (no_grad())
        using (var generator = new Generator(7))
            foreach (var (_, projection) in Modeling.Lora.LoraAdapter.Branches(lm)) projection.Lora!.lora_B.weight.normal_(0, 0.5, generator);
        lm.train();
        new GeeGradient(sampler, options, gee, new LambdaAnnealer(gee)).Accumulate(lm, microBatches, step: 1);
        var twoPass = TakeGradients();

        // Reference: one graph over the whole batch, micro-batch k's dropout masks drawn from its (seed, step, k) generator.
        Tensor WholeBatchLoss(bool seeded)
        {
            var rollouts = sampler.SampleStep(lm, microBatches, step: 1);
            var h = cat(rollouts.Select((r, k) =>
            {
                if (seeded) Modeling.Lora.LoraAdapter.SeedDropout(lm, GeeGradient.DropoutSeed(options.Seed, step: 1, k));
                return r.SampleEntropies(lm, options.Tau);
            }).ToList());
            return new GroupEntropyEqualizationLoss(gee).Forward(h, [.. rollouts.SelectMany(r => r.Groups)], step: 1).Loss;
        }
        WholeBatchLoss(seeded: true).backward();
        // Float32 rounding of sums in another order, relative to the largest gradient (B ~ N(0, 0.5) makes them large).
        var largest = twoPass.Values.Max(g => g.abs().max().item<float>());
        AssertClose(TakeGradients(), twoPass, atol: 1e-6 * largest);

        // Dropout is on: masks from other seeds give another gradient.
        Modeling.Lora.LoraAdapter.SeedDropout(lm, 12345);
        WholeBatchLoss(seeded: false).backward();
        var otherMasks = TakeGradients();
        Assert.Contains(twoPass, g => g.Key.Contains("lora_A") && !otherMasks[g.Key].allclose(g.Value, rtol: 1e-3, atol: 1e-6));
    }

    [Theory]
    [InlineData(false)] // full fine-tuning: π_ref is a frozen copy of the starting weights
    [InlineData(true)]  // LoRA: π_ref is the model with its adapters off
    public void TwoPassWithAKlAnchorAccumulatesTheGradientOfTheWholeBatchLoss(bool lora)
    {
        var (anchored, reference) = AnchoredAwayFromStart(lora);
        using var _ = reference;
        var result = new GeeGradient(sampler, anchored, gee, new LambdaAnnealer(gee), reference).Accumulate(lm, microBatches, step: 1);
        var twoPass = TakeGradients();

        // Reference: one graph, L + β · Σ KL over every generated token of the step / their number.
        var rollouts = sampler.SampleStep(lm, microBatches, step: 1);
        var scores = rollouts.Select(r => r.Score(lm, options.Tau, reference)).ToList();
        var (geeLoss, metrics) = new GroupEntropyEqualizationLoss(gee).Forward(cat(scores.Select(s => s.Entropies).ToList()), [.. rollouts.SelectMany(r => r.Groups)], step: 1);
        var meanKl = cat(scores.Select(s => s.KlSums!).ToList()).sum() / rollouts.Sum(r => r.GeneratedTokens);
        (geeLoss + 0.5 * meanKl).backward();

        // Float32 sums in another order, relative to the largest gradient; the KL's log p − log q cancels, so its rounding
        // is coarser than the entropy's (the exactness itself is shown in float64: TwoPassGeeTests).
        var largest = twoPass.Values.Max(g => g.abs().max().item<float>());
        AssertClose(TakeGradients(), twoPass, atol: 1e-5 * largest);
        Assert.True(result.Gee.Kl > 1e-3, $"KL {result.Gee.Kl} of a moved model");
        Assert.Equal(meanKl.item<float>(), result.Gee.Kl!.Value, 1e-6 * result.Gee.Kl!.Value); // float32 sums in another order
        Assert.Equal(metrics.Loss + 0.5 * result.Gee.Kl!.Value, result.Gee.Loss, 1e-5);
    }

    /// <summary>KL-anchored options (β = 0.5), their reference, and the model moved (seeded) away from its start, so that
    /// the KL and its gradient are not zero.</summary>
    (TrainOptions Options, ReferencePolicy Reference) AnchoredAwayFromStart(bool lora, GroupStatsMode groupStats = GroupStatsMode.Batch)
    {
        var anchored = options with { KlCoef = 0.5, GroupStats = groupStats, Lora = lora ? new Modeling.Lora.LoraOptions(rank: 4, alpha: 8) : null };
        var reference = ReferencePolicy.For(anchored)!;
        using var generator = new TorchSharp.torch.Generator(3);
        using var noGrad = no_grad();
        if (lora)
        {
            Modeling.Lora.LoraAdapter.Apply(lm, anchored.Lora!, seed: 15);
            foreach (var (_, projection) in Modeling.Lora.LoraAdapter.Branches(lm)) projection.Lora!.lora_B.weight.normal_(0, 0.05, generator);
        }
        else foreach (var p in lm.parameters()) p.add_(randn(p.shape, generator: generator).mul_(0.02));
        return (anchored, reference);
    }

    [Fact]
    public void MicroModeAnchorsEachMicroBatchOverItsOwnTokens()
    {
        var (anchored, reference) = AnchoredAwayFromStart(lora: false, GroupStatsMode.Micro);
        using var _ = reference;
        var result = new GeeGradient(sampler, anchored, gee, new LambdaAnnealer(gee), reference).Accumulate(lm, microBatches, step: 1);
        var accumulated = TakeGradients();

        var kls = new List<double>();
        var loss = sampler.SampleStep(lm, microBatches, step: 1).Select(rollout =>
        {
            var (h, klSums) = rollout.Score(lm, options.Tau, reference);
            var meanKl = klSums!.sum() / rollout.GeneratedTokens;
            kls.Add(meanKl.item<float>());
            return new GroupEntropyEqualizationLoss(gee).Forward(h, rollout.Groups, step: 1).Loss + 0.5 * meanKl;
        }).Aggregate((a, b) => a + b) / 2;
        loss.backward();

        AssertClose(TakeGradients(), accumulated);
        Assert.Equal(kls.Average(), result.Gee.Kl!.Value, 1e-6 * kls.Average());
    }

    [Fact]
    public void MicroModeAveragesEachMicroBatchsOwnLoss()
    {
        var micro = options with { GroupStats = GroupStatsMode.Micro };
        new GeeGradient(sampler, micro, gee, new LambdaAnnealer(gee)).Accumulate(lm, microBatches, step: 1);
        var accumulated = TakeGradients();

        var loss = sampler.SampleStep(lm, microBatches, step: 1).Select(rollout =>
        {
            return new GroupEntropyEqualizationLoss(gee).Forward(rollout.SampleEntropies(lm, options.Tau), rollout.Groups, step: 1).Loss;
        }).Aggregate((a, b) => a + b) / 2;
        loss.backward();

        AssertClose(TakeGradients(), accumulated);
    }

    [Fact]
    public void TheSamplersEntropiesAreThoseOfAWholeSequenceForward()
    {
        var rollouts = sampler.SampleStep(lm, microBatches, step: 1);
        using var noGrad = no_grad();

        foreach (var rollout in rollouts)
        {
            var recomputed = rollout.SampleEntropies(lm, options.Tau).data<float>().ToArray();
            for (var i = 0; i < recomputed.Length; i++) Assert.Equal(recomputed[i], rollout.SampledEntropies![i], tolerance: 1e-5); // float32 rounding
        }
    }

    [Fact]
    public void WithOneMicroBatchPerCallEachMicroBatchIsSampledAsBeforeTheOption()
    {
        var encoder = PromptEncoder.For(ModelTokenizer.FromDirectory(TrainingRun.ModelPath));
        var perMicroBatch = new ResponseSampler(encoder, options with { GenerationBatchSize = options.MicroBatch });

        var rollouts = perMicroBatch.SampleStep(lm, microBatches, step: 1);

        for (var k = 0; k < microBatches.Count; k++)
        {
            // Before --generation-batch-size: one generate call per micro-batch, seeded by (seed, step, k + 1).
            var alone = TokenGenerator.Generate(lm, [.. microBatches[k].Select(r => encoder.Encode(r.Text))], new GenerationOptions
            {
                DoSample = true, Temperature = options.SamplingTemperature, TopP = options.TopP, RepetitionPenalty = options.RepetitionPenalty,
                MaxNewTokens = options.MaxNewTokens, EosTokenIds = encoder.StopIds, Seed = SeedSequence.Derive(options.Seed, 1, k + 1),
            });
            Assert.Equal(alone.Select(s => s.GeneratedIds), rollouts[k].Responses);
        }
    }

    [Fact]
    public void SampleEntropiesOfALeftPaddedBatchMatchEachSequenceAlone()
    {
        var rollout = new Rollout([[1, 300, 301, 302], [1, 400]], [[50, 60, 70], [80]], ["male", "female"]);
        using var noGrad = no_grad();

        var batched = rollout.SampleEntropies(lm, tau: 0.5).data<float>().ToArray();

        for (var i = 0; i < 2; i++)
        {
            int[] sequence = [.. rollout.Prompts[i], .. rollout.Responses[i]];
            var logits = lm.call(tensor(sequence.Select(x => (long)x).ToArray(), [1, sequence.Length]), ones([1, sequence.Length], ScalarType.Int64), null);
            // Tokens at positions p..p+n−1 were drawn from the distributions at p−1..p+n−2 (p = prompt length).
            var logp = (logits[0] / 0.5).log_softmax(-1);
            var tokenEntropies = -(logp.exp() * logp).sum(-1);
            var expected = tokenEntropies.narrow(0, rollout.Prompts[i].Count - 1, rollout.Responses[i].Count).mean().item<float>();
            Assert.Equal(expected, batched[i], 4);
        }
    }
}
