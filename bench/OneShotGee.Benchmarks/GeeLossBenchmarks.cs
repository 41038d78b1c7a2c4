using BenchmarkDotNet.Attributes;
using OneShotGee.Core.Gee;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Benchmarks;

/// <summary>
/// One GEE loss step on CPU float32 logits: token entropy, masked sample means, L2 loss, forward and backward.
/// Each invocation counts as batch × seq operations, so "Op/s" reads as tokens per second.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser(displayGenColumns: false)]
public class GeeLossBenchmarks
{
    const int SmallBatch = 8, SmallSeq = 256, SmallVocab = 512;       // stories260K-sized vocabulary
    const int LargeBatch = 2, LargeSeq = 512, LargeVocab = 32000;     // Llama-2-sized vocabulary

    static readonly string[] Groups = ["male", "female"];
    readonly GroupEntropyEqualizationLoss objective = new(new GeeOptions { Groups = Groups });
    Batch small = null!, large = null!;

    sealed record Batch(Tensor Logits, Tensor Mask, string[] Groups);

    [GlobalSetup]
    public void Setup()
    {
        small = MakeBatch(SmallBatch, SmallSeq, SmallVocab);
        large = MakeBatch(LargeBatch, LargeSeq, LargeVocab);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var batch in new[] { small, large }) { batch.Logits.Dispose(); batch.Mask.Dispose(); }
    }

    [Benchmark(OperationsPerInvoke = SmallBatch * SmallSeq)]
    public double Vocab512_8x256() => Step(small);

    [Benchmark(OperationsPerInvoke = LargeBatch * LargeSeq)]
    public double Vocab32000_2x512() => Step(large);

    double Step(Batch batch)
    {
        using var scope = NewDisposeScope();
        var (loss, metrics) = objective.Forward(TokenEntropy.PerSample(batch.Logits, batch.Mask, 0.5), batch.Groups, 0);
        loss.backward();
        return metrics.Loss;
    }

    static Batch MakeBatch(int batch, int seq, int vocab)
    {
        // Half the sequence is the (left-padded) prompt, the rest is generated.
        var logits = randn([batch, seq, vocab], generator: new Generator(0)).requires_grad_();
        var mask = GenerationMask.FromSpans(Enumerable.Repeat(seq / 2, batch).ToArray(), Enumerable.Repeat(seq / 2, batch).ToArray(), seq);
        return new(logits, mask, Enumerable.Range(0, batch).Select(i => Groups[i % 2]).ToArray());
    }
}
