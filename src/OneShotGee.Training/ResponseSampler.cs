using OneShotGee.Data;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Training;

/// <summary>Renders each prompt with the chat template and samples a response from the model being trained (no grad, KV cache).</summary>
public sealed class ResponseSampler(ModelTokenizer tokenizer, ChatTemplate template, TrainOptions options)
{
    readonly GenerationOptions generation = new()
    {
        DoSample = true,
        Temperature = options.SamplingTemperature,
        TopP = options.TopP,
        RepetitionPenalty = options.RepetitionPenalty,
        MaxNewTokens = options.MaxNewTokens,
        EosTokenIds = tokenizer.EosIds.ToHashSet(),
    };

    // A chat template renders its special tokens (BOS included) as text; a base model's plain prompt gets the
    // tokenizer's own special tokens, as Hugging Face encodes it.
    public IReadOnlyList<int> EncodePrompt(string text) =>
        tokenizer.Encode(template.Render([ChatMessage.User(text)], addGenerationPrompt: true),
            addSpecialTokens: template is PlainChatTemplate);

    /// <summary>Seeded by (run seed, step, micro-batch), so a resumed run samples what an uninterrupted one would.</summary>
    public Rollout Sample(CausalLM lm, IReadOnlyList<PreparedRow> rows, int step, int microBatchIndex)
    {
        var prompts = rows.Select(r => EncodePrompt(r.Text)).ToList();
        var sequences = TokenGenerator.Generate(lm, prompts,
            generation with { Seed = SeedSequence.Derive(options.Seed, step, microBatchIndex + 1) });
        return new Rollout(prompts, [.. sequences.Select(s => s.GeneratedIds)], [.. rows.Select(r => r.Group)]);
    }
}
