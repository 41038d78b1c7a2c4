using OneShotGee.Data;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Training.Tests.DemoModel;

/// <summary>
/// GEE (λ = 3) and EM only (λ = 0) on the demo model's planted gap (≈ 1.0 nats), measured on held-out twin pairs after
/// the demo's short run (5 steps, lr 1e-3). On corpus version 1 GEE left the smaller gap (docs/experiments.md, 12 of 16
/// seeds); on version 2, whose neutral counting documents make the model's entropy easier to lower everywhere, EM
/// closes most of the gap too and the two differ by less than their seed spread (6-seed means 0.13 and 0.11 nats).
/// What holds for both, and what this checks, is that each closes more than half of it on prompts it never trained on.
/// </summary>
[Collection(DemoModelCollection.Name)]
public sealed class GeeVersusEmTests(DemoModelFixture demo) : IDisposable
{
    static readonly int[] Seeds = [1, 2, 3, 4, 5, 6];

    readonly string _root = Directory.CreateTempSubdirectory("oneshotgee-gee-vs-em-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void GeeAndEmEachCloseMoreThanHalfTheHeldOutGapInAShortRun()
    {
        var model = demo.ModelDirectory;
        var train = Path.Combine(_root, "train.parquet");
        var heldOut = Path.Combine(_root, "held-out.parquet");
        PrepareStep.Run(new PrepareOptions(train, Synthetic: 256, Seed: 15));
        PrepareStep.Run(new PrepareOptions(heldOut, Synthetic: 64, Seed: 99));
        var pairs = PairedPromptFile.Read(heldOut);
        var encoder = PromptEncoder.For(ModelTokenizer.FromDirectory(model));

        double HeldOutGap(double lambda, int seed)
        {
            using var trainer = GeeTrainer.Create(new TrainOptions
            {
                ModelPath = model, DataPath = train, OutputPath = Path.Combine(_root, $"l{lambda}-s{seed}"), Device = "cpu",
                Lambda = lambda, Seed = seed, MaxSteps = 5, SaveSteps = 5, EffectiveBatch = 8, MicroBatch = 4,
                MaxNewTokens = 8, LearningRate = 1e-3,
            });
            trainer.Run();
            trainer.Model.eval();
            return PairedEntropyEvaluation.Evaluate(trainer.Model, encoder, pairs, new PairedEntropyOptions
            {
                SamplesPerPrompt = 2, Temperature = 0.5, TopP = 0.95, MaxNewTokens = 8, Seed = 7,
            }).Gap;
        }

        var em = Seeds.Select(s => HeldOutGap(0, s)).ToArray();
        var gee = Seeds.Select(s => HeldOutGap(3, s)).ToArray();

        var detail = $"EM gaps [{string.Join(", ", em.Select(g => g.ToString("F3")))}], GEE gaps [{string.Join(", ", gee.Select(g => g.ToString("F3")))}]";
        Assert.True(gee.Average() < 0.5 * DemoCorpus.PlantedGap, detail);
        Assert.True(em.Average() < 0.5 * DemoCorpus.PlantedGap, detail);
    }
}
