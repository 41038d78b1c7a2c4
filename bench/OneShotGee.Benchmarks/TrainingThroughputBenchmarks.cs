using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Benchmarks;

/// <summary>
/// Forward + backward of a training-shaped batch (next-token cross-entropy over 2 × 512 tokens) of
/// <see cref="BenchModel"/>, next to this machine's float32 matmul throughput measured in the same run.
/// Model FLOPs ≈ 6 × matmul parameters × tokens (Kaplan et al. 2020, §2.1; attention scores left out), so
/// Utilisation = achieved model FLOP/s ÷ measured 1024³ matmul FLOP/s.
/// </summary>
[Config(typeof(TrainingConfig))]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class TrainingThroughputBenchmarks
{
    const int Batch = 2, SeqLength = 512, MatmulSize = 1024;

    // Computed where the columns are computed: the host process, which runs no GlobalSetup.
    static readonly Dictionary<string, long> MatmulParameters = new()
    {
        [BenchModel.Small] = BenchModel.MatmulParameters(BenchModel.Small),
        [BenchModel.Mid] = BenchModel.MatmulParameters(BenchModel.Mid),
    };

    [Params(BenchModel.Small, BenchModel.Mid)] public string Model = BenchModel.Small;

    CausalLM lm = null!;
    Tensor ids = null!, mask = null!, a = null!, b = null!;

    [GlobalSetup]
    public void Setup()
    {
        lm = BenchModel.Create(Model);
        ids = randint(lm.Config.VocabSize, [Batch, SeqLength], ScalarType.Int64, generator: new Generator(0));
        mask = ones_like(ids);
        a = randn([MatmulSize, MatmulSize], generator: new Generator(1));
        b = randn([MatmulSize, MatmulSize], generator: new Generator(2));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { ids, mask, a, b }) t.Dispose();
        lm.Dispose();
    }

    [Benchmark]
    public double ForwardBackward()
    {
        using var scope = NewDisposeScope();
        lm.zero_grad();
        var logits = lm.call(ids, mask, null);
        var vocab = logits.shape[^1];
        var loss = nn.functional.cross_entropy(
            logits.narrow(1, 0, SeqLength - 1).reshape(-1, vocab), ids.narrow(1, 1, SeqLength - 1).reshape(-1));
        loss.backward();
        return loss.item<float>();
    }

    [Benchmark]
    public long Matmul()
    {
        using var scope = NewDisposeScope();
        return matmul(a, b).numel();
    }

    static double? Tokens(BenchmarkCase c) =>
        c.Descriptor.WorkloadMethod.Name == nameof(ForwardBackward) ? Batch * SeqLength : null;

    static double? Flops(BenchmarkCase c) =>
        c.Descriptor.WorkloadMethod.Name == nameof(Matmul) ? 2.0 * MatmulSize * MatmulSize * MatmulSize
        : Tokens(c) is { } tokens ? 6.0 * MatmulParameters[(string)c.Parameters[nameof(Model)]] * tokens : null;

    sealed class TrainingConfig : ManualConfig
    {
        public TrainingConfig()
        {
            var gflops = new RateColumn("GFLOP/s", Flops, 1e-9);
            AddColumn(new RateColumn("Tokens/s", Tokens), gflops, new UtilisationColumn(gflops));
        }
    }

    /// <summary>A row's GFLOP/s over the Matmul row's GFLOP/s.</summary>
    sealed class UtilisationColumn(RateColumn gflops) : IColumn
    {
        public string Id => nameof(UtilisationColumn);
        public string ColumnName => "Utilisation";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 1;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Utilisation: GFLOP/s over the GFLOP/s of the Matmul row";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var matmul = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == nameof(Matmul));
            return matmul is not null && gflops.Rate(summary, benchmarkCase) is { } achieved && gflops.Rate(summary, matmul) is { } peak
                ? (achieved / peak).ToString("P0", style.CultureInfo)
                : "-";
        }

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
