using OneShotGee.Core;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Evaluation.Paired;

/// <summary>
/// Measures the entropy gap between groups on matched prompts. Each (pair, sample index) has its own seed, shared by
/// the pair's group prompts, so results do not depend on batching or on the other prompts, and the groups are
/// compared under common random numbers. Only generated tokens count, the stop token included; the prompt does not.
/// </summary>
public static class PairedEntropyEvaluation
{
    /// <param name="progress">Receives the number of prompts done so far.</param>
    public static PairedEntropyResult Evaluate(
        CausalLM lm, PromptEncoder encoder, PairedPromptSet set, PairedEntropyOptions options,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        if (set.Pairs.Count == 0) throw new InvalidInputException($"paired prompt set '{set.Name}' has no pairs");
        var prompts = set.Pairs.SelectMany(p => p.Texts).Select(encoder.Encode).ToArray();
        var stops = encoder.StopIds;
        var groups = set.Groups.Count;

        // responseEntropy[prompt][k], generatedTokens[prompt][k]; prompt index = pair * groups + group.
        var responseEntropy = new double[prompts.Length][];
        var tokens = new int[prompts.Length][];
        if (options.IsGreedy)
        {
            var greedy = new GenerationOptions
            {
                MaxNewTokens = options.MaxNewTokens, EosTokenIds = stops, ReturnEntropies = true,
            };
            for (var start = 0; start < prompts.Length; start += options.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                var batch = prompts[start..Math.Min(start + options.BatchSize, prompts.Length)];
                var outputs = TokenGenerator.Generate(lm, batch, greedy);
                for (var i = 0; i < outputs.Count; i++)
                    (responseEntropy[start + i], tokens[start + i]) = ([MeanEntropy(outputs[i])], [outputs[i].GeneratedIds.Count]);
                progress?.Report(start + outputs.Count);
            }
        }
        else
        {
            for (var p = 0; p < prompts.Length; p++)
            {
                ct.ThrowIfCancellationRequested();
                (responseEntropy[p], tokens[p]) = (new double[options.SamplesPerPrompt], new int[options.SamplesPerPrompt]);
                for (var k = 0; k < options.SamplesPerPrompt; k++)
                {
                    var sampling = new GenerationOptions
                    {
                        DoSample = true, Temperature = options.Temperature, TopP = options.TopP, TopK = options.TopK,
                        MaxNewTokens = options.MaxNewTokens, EosTokenIds = stops, ReturnEntropies = true,
                        Seed = SampleSeed(options.Seed, set.Pairs[p / groups].PairId, k),
                    };
                    var output = TokenGenerator.Generate(lm, [prompts[p]], sampling)[0];
                    (responseEntropy[p][k], tokens[p][k]) = (MeanEntropy(output), output.GeneratedIds.Count);
                }
                progress?.Report(p + 1);
            }
        }

        var perPair = set.Pairs.Select((pair, i) => new PairEntropies(pair.PairId,
            [.. Enumerable.Range(0, groups).Select(g => responseEntropy[i * groups + g].Average())])).ToArray();
        var meanTokens = set.Groups.Select((group, g) => (group, Enumerable.Range(0, set.Pairs.Count)
            .Average(i => tokens[i * groups + g].Average()))).ToDictionary(x => x.group, x => x.Item2);
        return PairedEntropyResult.From(set.Name, set.Sha256, set.Groups, perPair, meanTokens, options, set.Attribute);
    }

    static double MeanEntropy(GeneratedSequence output) => output.Entropies!.Average();

    /// <summary>A seed from (run seed, pair id, sample index) by 64-bit FNV-1a, independent of order and batching.</summary>
    public static long SampleSeed(int seed, string pairId, int sample)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in $"{seed}\u001f{pairId}\u001f{sample}")
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return (long)(hash >> 1);
    }
}
