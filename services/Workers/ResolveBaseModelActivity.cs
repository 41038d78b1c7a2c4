using Dapr.Workflow;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneShotGee.Core;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Steps;

namespace OneShotGee.Workers;

/// <summary>The run's base model as the run config names it: <c>demo</c>, a model directory or a PEFT adapter directory;
/// for <c>demo</c>, the attribute of the run's data (<see cref="GeeRun.DemoAttribute"/>; null: gender).</summary>
public sealed record BaseModelRequest(string RunId, string Model, string? Attribute = null);

/// <summary>
/// On trainer: the demo model is built once (cached) and stored under <c>models/demo-&lt;hash&gt;</c> once, so other
/// hosts can fetch it; a model or adapter directory is checked (<see cref="GeeRun.ResolveModel"/>) and referenced in place
/// (<c>file://</c>, for hosts that share the volume, where an adapter's relative base path resolves as it does here).
/// </summary>
public sealed class ResolveBaseModelActivity(
    IArtifactStore store, WorkerOptions options, IHostApplicationLifetime lifetime, ILogger<ResolveBaseModelActivity> logger)
    : WorkflowActivity<BaseModelRequest, ArtifactRef>
{
    public override async Task<ArtifactRef> RunAsync(WorkflowActivityContext context, BaseModelRequest input)
    {
        var progress = new SynchronousProgress<string>(line => logger.LogInformation("{RunId} {Line}", input.RunId, line));
        var stopping = lifetime.ApplicationStopping;
        var directory = await Task.Run(() => GeeRun.ResolveModel(input.Model, options.DemoCache, progress, stopping, input.Attribute), stopping);
        var local = ArtifactRef.Of(TrainModelStep.BaseModel, directory);
        return input.Model == "demo"
            ? await store.PutOnceAsync($"models/demo-{Path.GetFileName(directory)}", local, options.ScratchDirectory, stopping)
            : local;
    }
}
