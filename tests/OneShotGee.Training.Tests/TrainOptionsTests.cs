using OneShotGee.Core;
using OneShotGee.Data;

namespace OneShotGee.Training.Tests;

public sealed class TrainOptionsTests
{
    static readonly TrainOptions Valid = new() { ModelPath = "/nonexistent/model", DataPath = "/nonexistent/data.parquet", OutputPath = "/tmp/x" };

    [Fact]
    public void DefaultsAreOneShotEmsAndPyTorchsAdamW()
    {
        Assert.Equal((64, 2), (Valid.EffectiveBatch, Valid.MicroBatch));
        Assert.Equal((0.5, 0.95, 1.15, 512), (Valid.SamplingTemperature, Valid.TopP, Valid.RepetitionPenalty, Valid.MaxNewTokens));
        Assert.Equal((0.5, 3.0, 0.0), (Valid.Tau, Valid.Lambda, Valid.KlCoef));
        Assert.Equal(GroupStatsMode.Batch, Valid.GroupStats);
        Assert.Equal((2e-5, 0.9, 0.999, 1e-8, 0.01, 1.0), (Valid.LearningRate, Valid.Beta1, Valid.Beta2, Valid.Epsilon, Valid.WeightDecay, Valid.MaxGradNorm));
        Assert.Equal((50, 15, 10), (Valid.MaxSteps, Valid.Seed, Valid.SaveSteps));
    }

    public static TheoryData<TrainOptions, string> BadOptions => new()
    {
        { Valid with { EffectiveBatch = 0 }, "--effective-batch" },
        { Valid with { MicroBatch = -2 }, "--micro-batch" },
        { Valid with { EffectiveBatch = 6, MicroBatch = 4 }, "--micro-batch 4 must divide --effective-batch 6" },
        { Valid with { Lambda = -0.5 }, "--lambda" },
        { Valid with { KlCoef = -0.1 }, "--kl-coef" },
        { Valid with { KlCoef = double.NaN }, "--kl-coef" },
        { Valid with { KlCoef = double.PositiveInfinity }, "--kl-coef" },
        { Valid with { Tau = 0 }, "--tau" },
        { Valid with { LearningRate = 0 }, "--lr" },
        { Valid with { MaxNewTokens = 0 }, "--max-new-tokens" },
        { Valid with { TopP = 1.5 }, "--top-p" },
        { Valid with { Device = "tpu" }, "--device" },
        { Valid with { ChatTemplate = "vicuna" }, "--chat-template" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsAreRejectedBeforeTheModelIsLoadedNamingTheOption(TrainOptions options, string named)
    {
        // The model and data paths do not exist: the error must come from the option, not from loading.
        var error = Assert.Throws<InvalidInputException>(() => GeeTrainer.Create(options));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void AMicroBatchSmallerThanTheGroupsOrNotHoldingWholePairsIsRejected()
    {
        string[] groups = ["male", "female"];
        Assert.Contains("smaller than the 2 groups", Assert.Throws<InvalidInputException>(
            () => (Valid with { EffectiveBatch = 4, MicroBatch = 1 }).ValidateAgainst(groups)).Message);
        Assert.Contains("multiple of the 2 groups", Assert.Throws<InvalidInputException>(
            () => (Valid with { EffectiveBatch = 6, MicroBatch = 3 }).ValidateAgainst(groups)).Message);
        (Valid with { EffectiveBatch = 8, MicroBatch = 4 }).ValidateAgainst(groups);
    }

    [Fact]
    public void ASingleGroupDatasetIsRejectedBeforeTheModelIsLoaded()
    {
        using var run = new TrainingRun();
        var path = Path.Combine(run.Directory, "male-only.parquet");
        PreparedDatasetWriter.Write(path, PreparedDataset.Read(run.DataPath).Rows.Where(r => r.Group == "male"));

        var error = Assert.Throws<InvalidInputException>(() => GeeTrainer.Create(Valid with { DataPath = path }));

        Assert.Contains("at least two groups", error.Message);
    }
}
