using BenchmarkDotNet.Attributes;
using OneShotGee.Bench;
using OneShotGee.Data;

namespace OneShotGee.Benchmarks;

/// <summary>
/// The in-memory part of <c>prepare --augment counterfactual</c> on GSM8K questions replicated to 2^20 rows:
/// group detection, counterfactual twins, pair balancing. "Op/s" reads as input rows per second. The questions are
/// the whole GSM8K test set when ONESHOTGEE_TEST_DATA is set, else the repository's 12-question fixture.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser(displayGenColumns: false)]
public class DataPrepBenchmarks
{
    const int Rows = 1 << 20;
    const int Seed = 15;

    IReadOnlyList<string> texts = null!;
    GroupDetector detector = null!;
    CounterfactualAugmenter augmenter = null!;
    GroupBalancer balancer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var input = RepositoryFiles.Gsm8kQuestions();
        var questions = TextColumnReader.Read(input, "question");
        Console.WriteLine($"// GSM8K input: {input} ({questions.Count} questions)");
        texts = Enumerable.Range(0, Rows).Select(i => questions[i % questions.Count]).ToArray();
        var lexicon = Lexicon.BuiltIn("gender");
        detector = new GroupDetector(lexicon);
        augmenter = new CounterfactualAugmenter(lexicon);
        balancer = new GroupBalancer(lexicon.Groups, Seed);
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public int Detect() => detector.Label(texts, "gsm8k").Rows.Count;

    [Benchmark(OperationsPerInvoke = Rows)]
    public int DetectAugmentBalance()
    {
        var detected = detector.Label(texts, "gsm8k").Rows;
        var augmented = augmenter.Augment(detected).ToList();
        return balancer.Balance(augmented, targetSize: null).Count;
    }
}
