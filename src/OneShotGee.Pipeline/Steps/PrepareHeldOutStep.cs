using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;

namespace OneShotGee.Pipeline.Steps;

/// <summary>
/// Data prep of the held-out paired prompts the entropy gap is measured on. A set that shares a prompt with the
/// training data is refused unless <paramref name="allowOverlap"/>: a gap measured on trained prompts says nothing
/// about the model. It runs before any training, so a refused run costs one data prep.
/// </summary>
public sealed class PrepareHeldOutStep(PrepareOptions options, bool allowOverlap) : IPipelineStep
{
    public string Name => "prepare-" + EvaluateModelStep.HeldOut;
    public IReadOnlyList<string> Needs => [TrainModelStep.TrainData];

    public IReadOnlyList<ArtifactRef> Run(StepContext context, CancellationToken ct)
    {
        var path = Path.Combine(context.StepDirectory, EvaluateModelStep.HeldOut + ".parquet");
        PrepareStep.Run(options with { OutputPath = path }, context.Progress, ct);
        var overlap = Overlap(path, context.Artifact(TrainModelStep.TrainData).LocalPath);
        if (overlap > 0 && !allowOverlap)
        {
            File.Delete(path);
            throw new InvalidInputException(
                $"held_out: {overlap} of its prompts are also in the training data, so the gap would be measured on trained " +
                "prompts; give a held-out set disjoint from the training data, or set \"allow_overlap\": true in held_out to " +
                "measure anyway (the report records the overlap)");
        }
        return [ArtifactRef.Of(EvaluateModelStep.HeldOut, path)];
    }

    /// <summary>Distinct prompts of the prepared held-out set that the prepared training set also holds.</summary>
    public static int Overlap(string heldOutDataset, string trainingDataset) =>
        PromptOverlap.Count(PreparedDataset.Read(heldOutDataset).Rows.Select(r => r.Text), PreparedDataset.Read(trainingDataset).Rows.Select(r => r.Text));
}
