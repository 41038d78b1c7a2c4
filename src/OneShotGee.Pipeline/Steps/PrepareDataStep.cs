using OneShotGee.Data;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;

namespace OneShotGee.Pipeline.Steps;

/// <summary>Data prep: writes the balanced, group-labelled Parquet dataset <c>&lt;name&gt;.parquet</c>.</summary>
public sealed class PrepareDataStep(string name, PrepareOptions options) : IPipelineStep
{
    public string Name => "prepare-" + name;
    public PrepareOptions Options => options;
    public IReadOnlyList<string> Needs => [];

    public IReadOnlyList<ArtifactRef> Run(StepContext context, CancellationToken ct)
    {
        var path = Path.Combine(context.StepDirectory, name + ".parquet");
        PrepareStep.Run(options with { OutputPath = path }, context.Progress, ct);
        return [ArtifactRef.Of(name, path)];
    }
}
