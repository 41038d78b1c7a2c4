using OneShotGee.Data;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Training;

/// <summary>
/// Renders each prompt with the chat template and samples a response from the model being trained (no grad, KV cache),
/// several micro-batches per <c>generate</c> call (<see cref="TrainOptions.GenerationBatch"/>), keeping each token's
/// τ-entropy from the logits it was drawn from.
/// </summary>
public sealed class ResponseSampler(PromptEncoder prompts, TrainOptions options)
{
    readonly GenerationOptions generation = new()
    {
        DoSample = true,
        Temperature = options.SamplingTemperature,
        TopP = options.TopP,
        RepetitionPenalty = options.RepetitionPenalty,
        MaxNewTokens = options.MaxNewTokens,
        EosTokenIds = prompts.StopIds,
        // Only two-pass GEE without LoRA dropout takes pass 1's H_i from the sampler (GeeGradient.PassOneEntropies).
        ReturnEntropies = options.GroupStats == GroupStatsMode.Batch && !(options.Lora?.Dropout > 0),
        EntropyTemperature = options.Tau,
    };

    /// <summary>
    /// One rollout per micro-batch. Each call covers <see cref="TrainOptions.GenerationBatch"/> prompts and is seeded by
    /// (run seed, step, index of its first micro-batch), so a resumed run samples what an uninterrupted one would, and
    /// with one micro-batch per call the draws are those of sampling each micro-batch alone. Samples in eval mode (no
    /// LoRA dropout): the responses are the model's own, not a dropout-perturbed one's.
    /// </summary>
    public IReadOnlyList<Rollout> SampleStep(CausalLM lm, IReadOnlyList<IReadOnlyList<PreparedRow>> microBatches, int step)
    {
        var perCall = options.GenerationBatch / options.MicroBatch;
        var rollouts = new List<Rollout>();
        for (var first = 0; first < microBatches.Count; first += perCall)
            rollouts.AddRange(Sample(lm, microBatches.Skip(first).Take(perCall).ToList(), step, first));
        return rollouts;
    }

    IEnumerable<Rollout> Sample(CausalLM lm, IReadOnlyList<IReadOnlyList<PreparedRow>> microBatches, int step, int firstMicroBatch)
    {
        var rows = microBatches.SelectMany(m => m).ToList();
        var promptIds = rows.Select(r => prompts.Encode(r.Text)).ToList();
        bool training = lm.training;
        lm.eval();
        IReadOnlyList<GeneratedSequence> sequences;
        try
        {
            sequences = TokenGenerator.Generate(lm, promptIds,
                generation with { Seed = SeedSequence.Derive(options.Seed, step, firstMicroBatch + 1) });
        }
        finally { lm.train(training); }
        var offset = 0;
        foreach (var micro in microBatches)
        {
            var part = sequences.Skip(offset).Take(micro.Count).ToList();
            yield return new Rollout(promptIds[offset..(offset + micro.Count)], [.. part.Select(s => s.GeneratedIds)],
                [.. micro.Select(r => r.Group)],
                generation.ReturnEntropies ? [.. part.Select(s => s.Entropies!.Average())] : null);
            offset += micro.Count;
        }
    }
}
