using System.Diagnostics;
using OneShotGee.Core;
using OneShotGee.Core.Telemetry;
using OneShotGee.Pipeline.Artifacts;

namespace OneShotGee.Pipeline.Runs;

/// <summary>
/// Runs steps in order in a run directory, recording each in <c>manifest.json</c>. A failed step is recorded with
/// its error and leaves earlier steps' artifacts intact; with <c>resume</c>, completed steps whose outputs are
/// still intact are skipped and the run continues from the first step that is not. Each step runs in a
/// <c>pipeline.step</c> span with the run's <see cref="RunLabels"/> (<paramref name="model"/>: the base model) current.
/// </summary>
public sealed class PipelineRunner(string runDirectory, string runId, string configSha256, string? model = null)
{
    public string RunDirectory { get; } = Path.GetFullPath(runDirectory);

    public RunManifest Run(
        IReadOnlyList<IPipelineStep> steps, IReadOnlyList<ArtifactRef> given, bool resume,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        if (given.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidInputException($"input artifact '{twice.Key}' is given {twice.Count()} times; give each name once");
        var manifest = StartManifest(resume);
        var artifacts = given.ToDictionary(a => a.Name);
        foreach (var step in steps)
        {
            ct.ThrowIfCancellationRequested();
            if (resume && manifest.Step(step.Name) is { Status: StepStatus.Completed, Outputs: { } done } && done.All(a => a.IsIntact()))
            {
                progress?.Report($"{step.Name}: already completed, skipped");
                foreach (var output in done) artifacts[output.Name] = output;
                continue;
            }
            manifest = RunStep(step, manifest, artifacts, progress, ct);
        }
        return manifest;
    }

    RunManifest StartManifest(bool resume)
    {
        var existing = RunManifest.TryLoad(RunDirectory);
        if (existing is null) return Saved(new RunManifest(runId, configSha256, DateTimeOffset.UtcNow, []));
        if (!resume)
            throw new InvalidInputException($"'{RunDirectory}' already holds run '{existing.RunId}'; resume it or choose another output directory");
        if (existing.ConfigSha256 != configSha256)
            throw new InvalidInputException($"run '{existing.RunId}' in '{RunDirectory}' was started with another configuration; it cannot be resumed with this one");
        return existing;
    }

    RunManifest RunStep(IPipelineStep step, RunManifest manifest, Dictionary<string, ArtifactRef> artifacts, IProgress<string>? progress, CancellationToken ct)
    {
        var inputs = step.Needs.Select(name => artifacts.TryGetValue(name, out var a) ? a
            : throw new InvalidInputException($"step '{step.Name}' needs artifact '{name}', which no earlier step produced")).ToList();
        var record = new StepRecord(step.Name, StepStatus.Running, Started: DateTimeOffset.UtcNow, Inputs: inputs);
        manifest = Saved(manifest, record);
        progress?.Report($"{step.Name}: started");
        using var labels = RunLabels.Push(new RunLabels(runId, model is null ? null : RunLabels.ModelName(model)));
        using var span = GeeTelemetry.Source.StartActivity("pipeline.step")?.SetTag("run_id", runId).SetTag("step", step.Name);
        var clock = Stopwatch.StartNew();
        try
        {
            var stepDirectory = Path.Combine(RunDirectory, ArtifactName.Validate(step.Name));
            Directory.CreateDirectory(stepDirectory);
            var outputs = step.Run(new StepContext(stepDirectory, artifacts, progress), ct);
            foreach (var output in outputs) artifacts[output.Name] = output;
            manifest = Saved(manifest, record with
            {
                Status = StepStatus.Completed, Finished = DateTimeOffset.UtcNow, Outputs = outputs, Metrics = step.Summarize(outputs),
            });
            progress?.Report($"{step.Name}: completed");
            PipelineMeter.Record(step.Name, "completed", clock.Elapsed.TotalSeconds);
            return manifest;
        }
        catch (Exception e)
        {
            Saved(manifest, record with { Status = StepStatus.Failed, Finished = DateTimeOffset.UtcNow, Error = e.Message });
            PipelineMeter.Record(step.Name, "failed", clock.Elapsed.TotalSeconds);
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>
    /// Records the step in the manifest as it is on disk now: trainer replicas share one work root, so another host may
    /// have recorded a sibling step (another variant of the run) since this runner loaded it.
    /// </summary>
    RunManifest Saved(RunManifest manifest, StepRecord record) => Saved((RunManifest.TryLoad(RunDirectory) ?? manifest).With(record));

    RunManifest Saved(RunManifest manifest)
    {
        manifest.Save(RunDirectory);
        return manifest;
    }
}
