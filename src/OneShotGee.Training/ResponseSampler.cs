using OneShotGee.Data;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Training;

/// <summary>Renders each prompt with the chat template and samples a response from the model being trained (no grad, KV cache).</summary>
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
    };

    /// <summary>
    /// Seeded by (run seed, step, micro-batch), so a resumed run samples what an uninterrupted one would. Samples in
    /// eval mode (no LoRA dropout): the responses are the model's own, not a dropout-perturbed one's.
    /// </summary>
    public Rollout Sample(CausalLM lm, IReadOnlyList<PreparedRow> rows, int step, int microBatchIndex)
    {
        var promptIds = rows.Select(r => prompts.Encode(r.Text)).ToList();
        bool training = lm.training;
        lm.eval();
        try
        {
            var sequences = TokenGenerator.Generate(lm, promptIds,
                generation with { Seed = SeedSequence.Derive(options.Seed, step, microBatchIndex + 1) });
            return new Rollout(promptIds, [.. sequences.Select(s => s.GeneratedIds)], [.. rows.Select(r => r.Group)]);
        }
        finally { lm.train(training); }
    }
}
