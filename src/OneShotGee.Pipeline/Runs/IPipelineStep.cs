using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Runs;

/// <summary>
/// One step of the GEE pipeline (prepare, evaluate, train, report). The same step objects run in the CLI's local
/// pipeline and behind the services' workflow activities: they take artifact references and return new ones.
/// </summary>
public interface IPipelineStep
{
    /// <summary>Unique within a run; also the step's folder in the run directory.</summary>
    string Name { get; }

    /// <summary>Artifacts (by name) this step reads, produced by earlier steps or given by the run.</summary>
    IReadOnlyList<string> Needs { get; }

    IReadOnlyList<ArtifactRef> Run(StepContext context, CancellationToken ct);

    /// <summary>
    /// The step's headline numbers, read from the outputs <see cref="Run"/> just wrote (e.g. the last training step's
    /// loss and entropy gap); recorded in the manifest and shown by <c>GET /runs/{id}</c>. None by default.
    /// </summary>
    IReadOnlyDictionary<string, double> Summarize(IReadOnlyList<ArtifactRef> outputs) => new Dictionary<string, double>();
}
