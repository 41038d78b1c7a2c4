using Dapr.Workflow;
using Microsoft.Extensions.Logging;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Steps;

namespace OneShotGee.Workers;

/// <summary>The run's base model as the run config names it: <c>demo</c> or a model directory.</summary>
public sealed record BaseModelRequest(string RunId, string Model);

/// <summary>
/// On trainer: the demo model is built once (cached) and stored under <c>models/demo-&lt;hash&gt;</c> once, so other
/// hosts can fetch it; a model directory is referenced in place (<c>file://</c>, for hosts that share the volume).
/// </summary>
public sealed class ResolveBaseModelActivity(IArtifactStore store, WorkerOptions options, ILogger<ResolveBaseModelActivity> logger)
    : WorkflowActivity<BaseModelRequest, ArtifactRef>
{
    public override async Task<ArtifactRef> RunAsync(WorkflowActivityContext context, BaseModelRequest input)
    {
        var progress = new Progress<string>(line => logger.LogInformation("{RunId} {Line}", input.RunId, line));
        var directory = await Task.Run(() => GeeRun.ResolveModel(input.Model, options.DemoCache, progress, CancellationToken.None));
        var local = ArtifactRef.Of(TrainModelStep.BaseModel, directory);
        return input.Model == "demo"
            ? await store.PutOnceAsync($"models/demo-{Path.GetFileName(directory)}", local, options.ScratchDirectory)
            : local;
    }
}
