using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Pipeline.Remote;

/// <summary>
/// Executes one step of a run on this host: inputs from the artifact store (or intact local files) are made local,
/// the step runs through <see cref="PipelineRunner"/> (as in <c>oneshotgee run</c>) in <c>workRoot/runs/&lt;run id&gt;</c>
/// with resume, and its outputs are stored under <c>runs/&lt;run id&gt;/&lt;artifact name&gt;</c>. Safe to retry: a step
/// completed here is not run again, training continues from its latest checkpoint, and stored outputs are not re-sent;
/// two deliveries of one run's steps on this host run one after the other.
/// </summary>
public sealed class StepExecutor(IArtifactStore store, string workRoot)
{
    public string WorkRoot { get; } = Path.GetFullPath(workRoot);

    /// <summary>The step <paramref name="request"/> names, from the plan of its config.</summary>
    public static IPipelineStep StepOf(StepRequest request) => StepOf(request, ConfigOf(request));

    public async Task<StepResult> ExecuteAsync(StepRequest request, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var config = ConfigOf(request);
        var step = StepOf(request, config);
        var runDirectory = Path.Combine(WorkRoot, "runs", request.RunId);
        using var exclusive = await KeyedLock.AcquireAsync(runDirectory, ct); // a duplicate delivery waits, then finds the step done
        var cache = new ArtifactCache(store, Path.Combine(WorkRoot, "cache"));
        var inputs = new List<ArtifactRef>();
        foreach (var input in request.Inputs) inputs.Add(await cache.LocalAsync(input, ct));

        var runner = GeeRun.Runner(config, runDirectory, request.RunId);
        var manifest = await Task.Run(() => runner.Run([step], inputs, resume: true, progress, ct), ct);

        var record = manifest.Step(step.Name)!;
        var stored = new List<ArtifactRef>();
        foreach (var output in record.Outputs!)
            stored.Add(await store.PutOnceAsync($"runs/{request.RunId}/{output.Name}", output, Path.Combine(WorkRoot, "tmp"), ct));
        return new StepResult(stored, record.Metrics ?? new Dictionary<string, double>());
    }

    static RunConfig ConfigOf(StepRequest request) =>
        RunConfig.Parse(request.ConfigJson, $"run '{RunRecord.ValidateRunId(request.RunId)}' config");

    static IPipelineStep StepOf(StepRequest request, RunConfig config)
    {
        var plan = GeeRun.Plan(config);
        return plan.SingleOrDefault(s => s.Name == request.Step) ?? throw new InvalidInputException(
            $"run '{request.RunId}': its plan has no step '{request.Step}'; steps: {string.Join(", ", plan.Select(s => s.Name))}");
    }
}
