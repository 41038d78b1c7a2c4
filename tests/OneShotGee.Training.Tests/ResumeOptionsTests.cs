using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Modeling.Lora;

namespace OneShotGee.Training.Tests;

/// <summary>A resume continues the checkpoint's run or is refused, naming every option that would change it.</summary>
public sealed class ResumeOptionsTests : IDisposable
{
    readonly TrainingRun run = new();

    public void Dispose() => run.Dispose();

    TrainOptions OneStep(string outName = "out") => run.Options(outName) with { MaxSteps = 1, SaveSteps = 1 };

    string TrainOneStep(TrainOptions options)
    {
        using (var trainer = GeeTrainer.Create(options)) trainer.Run();
        return Path.Combine(options.OutputPath, "checkpoint-1");
    }

    InvalidInputException ResumeRefused(TrainOptions options) =>
        Assert.Throws<InvalidInputException>(() => GeeTrainer.Create(options with { MaxSteps = 2, Resume = "latest" }));

    [Fact]
    public void TrainerStateRecordsTheOptionsAndTheDatasetSha256()
    {
        var checkpoint = TrainOneStep(OneStep() with { Lambda = 3, Tau = 0.5 });

        var options = TrainerState.Read(checkpoint).Options!;
        using var data = File.OpenRead(run.DataPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), options["data"]);
        Assert.Equal("3", options["lambda"]);
        Assert.Equal("0.5", options["tau"]);
        Assert.Equal("0.001", options["lr"]);
        Assert.Equal("4", options["effective-batch"]);
        Assert.Equal("float32", options["dtype"]);
        Assert.Equal("none", options["lora-rank"]);
        Assert.DoesNotContain("save-steps", options.Keys);
        Assert.DoesNotContain("max-steps", options.Keys);
    }

    [Fact]
    public void ADifferentLambdaIsRefusedNamingOldAndNew()
    {
        TrainOneStep(OneStep() with { Lambda = 3 });

        var error = ResumeRefused(OneStep() with { Lambda = 1 });

        Assert.Contains("lambda 3 → 1", error.Message);
        Assert.DoesNotContain("tau", error.Message);
    }

    [Fact]
    public void EveryDifferingOptionIsNamed()
    {
        TrainOneStep(OneStep());

        var error = ResumeRefused(OneStep() with
        {
            Tau = 0.7, LearningRate = 2e-3, GroupStats = GroupStatsMode.Micro, Penalty = Core.Gee.GeePenalty.L1,
            MaxNewTokens = 6, SamplingTemperature = 0.9, Seed = 16, ChatTemplate = "none", KlCoef = 0.1,
        });

        foreach (var expected in new[]
        {
            "tau 0.5 → 0.7", "lr 0.001 → 0.002", "group-stats batch → micro", "penalty l2 → l1", "max-new-tokens 8 → 6",
            "temperature 0.5 → 0.9", "seed 15 → 16", "chat-template auto → none", "kl-coef 0 → 0.1",
        })
            Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ADifferentDatasetIsRefused()
    {
        TrainOneStep(OneStep());
        var other = Path.Combine(run.Directory, "other.parquet");
        PrepareStep.Run(new PrepareOptions(other, Synthetic: 16, Seed: 4));

        var error = ResumeRefused(OneStep() with { DataPath = other });

        Assert.Contains("data ", error.Message);
    }

    [Fact]
    public void OptionsThatDoNotChangeTheTrajectoryMayDiffer()
    {
        TrainOneStep(OneStep());

        using var resumed = GeeTrainer.Create(OneStep() with { MaxSteps = 3, SaveSteps = 5, GradientCheckpointing = true, Resume = "latest" });

        Assert.Equal(1, resumed.Step);
    }

    [Fact]
    public void DifferentLoraOptionsAreRefused()
    {
        TrainOneStep(OneStep() with { Lora = new LoraOptions(rank: 4, alpha: 8) });

        var error = ResumeRefused(OneStep() with { Lora = new LoraOptions(rank: 4, alpha: 16, dropout: 0.1, targets: ["q_proj"]) });

        Assert.Contains("lora-alpha 8 → 16", error.Message);
        Assert.Contains("lora-dropout 0 → 0.1", error.Message);
        Assert.Contains("lora-targets q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj → q_proj", error.Message);
        Assert.DoesNotContain("lora-rank", error.Message);
    }

    [Fact]
    public void ACheckpointWithoutRecordedOptionsIsRefused()
    {
        var checkpoint = TrainOneStep(OneStep());
        var path = Path.Combine(checkpoint, TrainerState.FileName);
        var state = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        state.Remove("options");
        state["seed"] = 15; // what an older version wrote instead
        File.WriteAllText(path, state.ToJsonString());

        var error = ResumeRefused(OneStep());

        Assert.Contains("records no training options", error.Message);
    }
}
