using OneShotGee.Data;
using OneShotGee.Tests;

namespace OneShotGee.Training.Tests;

/// <summary>A temporary output directory with a small prepared synthetic dataset, and tiny run options on stories260k.</summary>
public sealed class TrainingRun : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("oneshotgee-train-").FullName;

    /// <param name="attribute">A built-in lexicon name: <c>gender-nb</c> gives sets of three groups.</param>
    public TrainingRun(int syntheticPrompts = 16, string attribute = "gender")
    {
        DataPath = Path.Combine(Directory, "prepared.parquet");
        PrepareStep.Run(new PrepareOptions(DataPath, Attribute: attribute, Synthetic: syntheticPrompts, Seed: 3));
    }

    public string DataPath { get; }

    public static string ModelPath => Fixtures.PathOf("models/stories260k");

    public string Out(string name = "out") => Path.Combine(Directory, name);

    /// <summary>Effective batch 4 in micro-batches of 2, 8 new tokens: a step takes a fraction of a second.</summary>
    public TrainOptions Options(string outName = "out") => new()
    {
        ModelPath = ModelPath,
        DataPath = DataPath,
        OutputPath = Out(outName),
        EffectiveBatch = 4,
        MicroBatch = 2,
        MaxNewTokens = 8,
        MaxSteps = 4,
        SaveSteps = 2,
        Device = "cpu",
        LearningRate = 1e-3,
    };

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
