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
        using var noGrad = no_grad();
        using var cache = lm.NewCache();
        using var generator = options.DoSample ? new Generator((ulong)options.Seed, lm.Device) : null;

        var batch = prompts.Count;
        var (promptIds, promptMask) = PaddedBatch.Left(prompts, lm.Config.VocabSize, CPU);
        var tokens = promptIds.data<long>().ToArray().Chunk((int)promptIds.shape[1]).Select(r => r.ToList()).ToArray();
        var mask = promptMask.data<long>().ToArray().Chunk((int)promptMask.shape[1]).Select(r => r.ToList()).ToArray();
        promptIds.Dispose();
        promptMask.Dispose();

        var generated = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var entropies = Enumerable.Range(0, batch).Select(_ => new List<double>()).ToArray();
        var stopped = new StopReason?[batch];
        long[]? next = null;
        for (var step = 0; step < options.MaxNewTokens && stopped.Any(r => r is null); step++)
        {
            using var scope = NewDisposeScope();
            var input = next is null ? Matrix(tokens, lm.Device) : tensor(next, [batch, 1], device: lm.Device);
            var logits = lm.call(input, Matrix(mask, lm.Device), cache).select(1, -1).to(ScalarType.Float32);
            next = Choose(logits, tokens, mask, options, generator).data<long>().ToArray();
            var entropy = options.ReturnEntropies ? LogitsProcessors.Entropy(logits).cpu().data<double>().ToArray() : null;
            for (var row = 0; row < batch; row++)
            {
                tokens[row].Add(next[row]);
                mask[row].Add(1);
                if (stopped[row] is not null) continue;
                generated[row].Add((int)next[row]);
                if (entropy is not null) entropies[row].Add(entropy[row]);
                if (options.EosTokenIds.Contains((int)next[row])) stopped[row] = StopReason.Eos;
            }
        }
        return [.. Enumerable.Range(0, batch).Select(row => new GeneratedSequence(
            prompts[row], generated[row], stopped[row] ?? StopReason.Length, options.ReturnEntropies ? entropies[row] : null))];
    }

    /// <summary>The next token per row: argmax, or a draw from the processed distribution when sampling.</summary>
    static Tensor Choose(Tensor logits, List<long>[] tokens, List<long>[] mask, GenerationOptions o, Generator? generator)
    {
        if (o.RepetitionPenalty != 1.0)
        {
            var ids = Matrix(tokens, logits.device);
            var seen = zeros_like(logits).scatter_add_(1, ids, Matrix(mask, logits.device).to(logits.dtype)).gt(0);
            logits = LogitsProcessors.RepetitionPenalty(logits, seen, o.RepetitionPenalty);
        }
        if (!o.DoSample) return logits.argmax(-1).cpu();
        logits = logits / o.Temperature;
        if (o.TopK > 0) logits = LogitsProcessors.TopK(logits, o.TopK);
        if (o.TopP < 1.0) logits = LogitsProcessors.TopP(logits, o.TopP);
        return logits.softmax(-1).multinomial(1, false, generator).squeeze(-1).cpu();
    }

    static Tensor Matrix(List<long>[] rows, Device device) =>
        tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Count], device: device);
}
