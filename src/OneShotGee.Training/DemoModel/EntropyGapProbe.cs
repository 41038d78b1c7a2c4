using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Training.DemoModel;

/// <summary>Mean next-token entropies (nats) of sampled responses, by group, and their max − min gap.</summary>
public sealed record GroupEntropies(IReadOnlyDictionary<string, double> Groups)
{
    public double this[string group] => Groups[group];

    public double Gap => Groups.Values.Max() - Groups.Values.Min();
}

/// <summary>
/// Measures the entropy gap as GEE training sees it: sample a response to each prompt with the trainer's decoding
/// settings, take the entropy of the model's full next-token distribution at each generated token (end of text
/// included), average over the response, then over the group's prompts.
/// </summary>
public static class EntropyGapProbe
{
    // One-shot EM / train_gee.py sampling defaults (issue 4): temperature 0.5, top-p 0.95, repetition penalty 1.15.
    static GenerationOptions Options(ModelTokenizer tokenizer, long seed) => new()
    {
        MaxNewTokens = 2 * DemoCorpus.ResponseTokens,
        DoSample = true,
        Temperature = 0.5,
        TopP = 0.95,
        RepetitionPenalty = 1.15,
        EosTokenIds = tokenizer.EosIds.ToHashSet(),
        Seed = seed,
        ReturnEntropies = true,
    };

    /// <summary>The entropies of the groups of <paramref name="prompts"/>, in their order of first appearance.</summary>
    public static GroupEntropies Measure(CausalLM lm, ModelTokenizer tokenizer, IReadOnlyList<DemoDocument> prompts, long seed) =>
        new(prompts.Select(p => p.Group).Distinct().ToDictionary(g => g, g => Mean(lm, tokenizer, prompts, g, seed)));

    static double Mean(CausalLM lm, ModelTokenizer tokenizer, IReadOnlyList<DemoDocument> prompts, string group, long seed)
    {
        var ids = prompts.Where(p => p.Group == group).Select(p => tokenizer.Encode(p.Prompt, addSpecialTokens: false)).ToList();
        return TokenGenerator.Generate(lm, ids, Options(tokenizer, seed)).Average(response => response.Entropies!.Average());
    }
}
