using OneShotGee.Core;
using System.Text.Json;
using OneShotGee.Data;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.Steps;
using OneShotGee.Tests;
using OneShotGee.Training;

namespace OneShotGee.Pipeline.Tests.Steps;

/// <summary>A retried training step after its process was killed at the worst moments.</summary>
public sealed class TrainModelStepTests : IDisposable
{
    readonly TempDirectory root = new();
    readonly string stepDirectory;
    readonly Dictionary<string, ArtifactRef> artifacts;

    public TrainModelStepTests()
    {
        stepDirectory = Directory.CreateDirectory(Path.Combine(root.Path, "train-gee")).FullName;
        var data = Path.Combine(root.Path, "train-data.parquet");
        PrepareStep.Run(new PrepareOptions(data, Synthetic: 16, Seed: 3));
        artifacts = new()
        {
            [TrainModelStep.BaseModel] = ArtifactRef.Of(TrainModelStep.BaseModel, Fixtures.PathOf("models/stories260k")),
            [TrainModelStep.TrainData] = ArtifactRef.Of(TrainModelStep.TrainData, data),
        };
    }

    public void Dispose() => root.Dispose();

    static TrainModelStep Step(int maxSteps) => new("gee", new TrainOptions
    {
        ModelPath = "", DataPath = "", OutputPath = "",
        EffectiveBatch = 4, MicroBatch = 2, MaxNewTokens = 8, MaxSteps = maxSteps, SaveSteps = 1, Device = "cpu", LearningRate = 1e-3,
    });

    IReadOnlyList<int> MetricSteps() => [.. File.ReadAllLines(Path.Combine(stepDirectory, GeeTrainer.MetricsFile))
        .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt32())];

    [Fact]
    public void Killed_while_saving_its_first_checkpoint_it_starts_over_cleanly()
    {
        // What a kill during step 1's save leaves: step 1's metrics line, half of it torn, and a staging folder.
        var staging = Directory.CreateDirectory(Path.Combine(stepDirectory, "checkpoint-1.tmp-0123456789abcdef")).FullName;
        File.WriteAllText(Path.Combine(staging, "model.safetensors"), "partial");
        File.WriteAllText(Path.Combine(stepDirectory, GeeTrainer.MetricsFile), "{\"step\": 1, \"loss\": 3.1}\n{\"step\": 2, \"lo");

        var outputs = Step(maxSteps: 2).Run(new StepContext(stepDirectory, artifacts, null), CancellationToken.None);

        Assert.Equal(["model-gee", "metrics-gee"], outputs.Select(o => o.Name));
        Assert.Equal([1, 2], MetricSteps());
        Assert.Empty(Directory.GetDirectories(stepDirectory, "*.tmp-*"));
    }

    [Fact]
    public void Killed_while_saving_a_later_checkpoint_it_resumes_from_the_last_complete_one()
    {
        Step(maxSteps: 1).Run(new StepContext(stepDirectory, artifacts, null), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(stepDirectory, "checkpoint-2.tmp-0123456789abcdef"));
        var lines = new List<string>();

        Step(maxSteps: 3).Run(new StepContext(stepDirectory, artifacts, new SynchronousProgress<string>(lines.Add)), CancellationToken.None);

        Assert.Equal([1, 2, 3], MetricSteps());
        Assert.Equal(2, lines.Count); // steps 2 and 3 only: step 1 came from checkpoint-1
        Assert.Empty(Directory.GetDirectories(stepDirectory, "*.tmp-*"));
    }

}
