using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Benchmarks;

/// <summary>
/// Greedy decoding of exactly <see cref="NewTokens"/> tokens per sequence (no EOS), with the KV cache
/// (<see cref="TokenGenerator"/>) against recomputing the whole sequence for every new token, as the seed's and
/// One-shot EM's Python do with <c>use_cache=False</c>. Ratio = time / KV-cache time. The baseline runs for
/// minutes per invocation, so each case runs just twice (Monitoring: no pilot or warm-up; the first run is cold).
/// </summary>
[Config(typeof(GenerationConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 2)]
public class GenerationBenchmarks
{
    const int PromptLength = 16;

    [Params(256, 512)] public int NewTokens;
    [Params(1, 8)] public int Batch;

    CausalLM lm = null!;
    int[][] prompts = null!;

    [GlobalSetup]
    public void Setup()
    {
        lm = BenchModel.Create();
        var random = new Random(0);
        prompts = [.. Enumerable.Range(0, Batch).Select(_ => Enumerable.Range(0, PromptLength).Select(_ => random.Next(lm.Config.VocabSize)).ToArray())];
    }

    [GlobalCleanup]
    public void Cleanup() => lm.Dispose();

    [Benchmark(Baseline = true)]
    public int KvCache() =>
        TokenGenerator.Generate(lm, prompts, new GenerationOptions { MaxNewTokens = NewTokens }).Sum(s => s.GeneratedIds.Count);

    /// <summary>Each step runs the model over prompt + generated so far and takes the argmax of the last position.</summary>
    [Benchmark]
    public long Recompute()
    {
        using var noGrad = no_grad();
        var ids = tensor(prompts.SelectMany(p => p).Select(id => (long)id).ToArray(), [Batch, PromptLength]);
        for (var step = 0; step < NewTokens; step++)
        {
            using var scope = NewDisposeScope();
            var logits = lm.call(ids, ones_like(ids), null);
            var next = logits.select(1, -1).argmax(-1, keepdim: true);
            var longer = cat([ids, next], 1).DetachFromDisposeScope();
            ids.Dispose();
            ids = longer;
        }
        using (ids) return ids.shape[1] - PromptLength;
    }

    sealed class GenerationConfig : ManualConfig
    {
        public GenerationConfig() => AddColumn(new RateColumn("Tokens/s", c =>
            (int)c.Parameters[nameof(Batch)] * (int)c.Parameters[nameof(NewTokens)]));
    }
}
