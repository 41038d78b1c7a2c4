using OneShotGee.Core.Gee;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Generation;

/// <summary>
/// Batched autoregressive decoding with a KV cache: prompts are left-padded, each step feeds one token per
/// sequence, and a sequence stops at its first EOS id. Sampling draws from one generator seeded per call, so
/// a call is reproducible on CPU.
/// </summary>
public static class TokenGenerator
{
    public static IReadOnlyList<GeneratedSequence> Generate(
        CausalLM lm, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options)
    {
        options.Validate();
        // Inference mode: no grad, and no version counters or autograd dispatch per op. What outlives the call is made of
        // inference tensors: the rotary tables, if first built here, which training only reads (index_select saves the
        // index, not the table, for backward); an in-place update of them would fail.
        using var inference = inference_mode();
        using var generator = options.DoSample ? new Generator((ulong)options.Seed, lm.Device) : null;

        var batch = prompts.Count;
        var (promptIds, promptMask) = PaddedBatch.Left(prompts, lm.Config.VocabSize, lm.Device);
        var promptLength = promptIds.shape[1];
        var total = promptLength + options.MaxNewTokens;
        using var cache = lm.NewCache(total);
        // Ids and 0/1 mask of prompt + output, one column written per step (generated tokens are never padding).
        using var ids = zeros([batch, total], ScalarType.Int64, lm.Device);
        using var mask = ones([batch, total], ScalarType.Int64, lm.Device);
        using (NewDisposeScope())
        using (promptIds)
        using (promptMask)
        {
            // Pads (masked out of attention) repeat the row's last prompt token, so that the repetition penalty, which
            // reads prompt and output ids so far, penalises the prompt's tokens only.
            ids.narrow(1, 0, promptLength).copy_(where(promptMask.eq(1), promptIds, promptIds.narrow(1, promptLength - 1, 1)));
            mask.narrow(1, 0, promptLength).copy_(promptMask);
        }

        var generated = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var entropies = Enumerable.Range(0, batch).Select(_ => new List<double>()).ToArray();
        var stopped = new StopReason?[batch];
        for (var step = 0; step < options.MaxNewTokens && stopped.Any(r => r is null); step++)
        {
            using var scope = NewDisposeScope();
            var length = promptLength + step;
            var uncached = ids.narrow(1, cache.Length, length - cache.Length); // the prompt, then the last token
            var logits = lm.LastLogits(uncached, mask.narrow(1, 0, length), 1, cache).select(1, 0);
            if (logits.dtype != ScalarType.Float32) logits = logits.to(ScalarType.Float32);
            var chosen = Choose(logits, ids.narrow(1, 0, length), options, generator).unsqueeze(1);
            ids.narrow(1, length, 1).copy_(chosen);
            var next = (chosen.device_type == TorchSharp.DeviceType.CPU ? chosen : chosen.cpu()).data<long>().ToArray();
            var entropy = options.ReturnEntropies ? Entropies(logits, options.EntropyTemperature) : null;
            for (var row = 0; row < batch; row++)
            {
                if (stopped[row] is not null) continue;
                generated[row].Add((int)next[row]);
                if (entropy is not null) entropies[row].Add(entropy[row]);
                if (options.EosTokenIds.Contains((int)next[row])) stopped[row] = StopReason.Eos;
            }
        }
        return [.. Enumerable.Range(0, batch).Select(row => new GeneratedSequence(
            prompts[row], generated[row], stopped[row] ?? StopReason.Length, options.ReturnEntropies ? entropies[row] : null))];
    }

    static double[] Entropies(Tensor logits, double? temperature) => temperature is { } tau
        ? [.. TokenEntropy.Compute(logits.unsqueeze(1), tau).cpu().data<float>().ToArray().Select(h => (double)h)]
        : LogitsProcessors.Entropy(logits).cpu().data<double>().ToArray();

    /// <summary>The next token per row [b]: argmax, or a draw from the processed distribution when sampling.</summary>
    static Tensor Choose(Tensor logits, Tensor previousIds, GenerationOptions o, Generator? generator)
    {
        if (o.RepetitionPenalty != 1.0) logits = LogitsProcessors.RepetitionPenalty(logits, previousIds, o.RepetitionPenalty);
        if (!o.DoSample) return logits.argmax(-1);
        logits = logits / o.Temperature;
        if (o.TopK > 0) logits = LogitsProcessors.TopK(logits, o.TopK);
        if (o.TopP < 1.0) logits = LogitsProcessors.TopP(logits, o.TopP);
        return LogitsProcessors.Draw(logits, generator);
    }
}
