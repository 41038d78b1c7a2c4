using Dapr.Workflow;
using OneShotGee.Core;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Steps;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>
/// Lays out the run directory as <c>oneshotgee run</c> does (run.json beside the manifest) and resolves the base model:
/// the demo model (built once and cached) or a model directory. Safe to repeat.
/// </summary>
public sealed class StartRunActivity(RunsOptions options, RunRecorder recorder) : WorkflowActivity<GeeRunInput, ArtifactRef>
{
    public override async Task<ArtifactRef> RunAsync(WorkflowActivityContext context, GeeRunInput input)
    {
        await recorder.StepStartedAsync(input.RunId, GeeRunWorkflow.StartStage, CancellationToken.None);
        try
        {
            var config = RunConfigJson.Parse(input.ConfigJson, $"run '{input.RunId}' config");
            var runDirectory = options.RunDirectory(input.RunId);
            Directory.CreateDirectory(runDirectory);
            var configCopy = Path.Combine(runDirectory, GeeRun.ConfigFile);
            if (!File.Exists(configCopy)) await File.WriteAllTextAsync(configCopy, config.ToJson());
            var model = config.Model == "demo"
                ? await Task.Run(() => DemoModelCache.EnsureBuilt(options.DemoCache))
                : Directory.Exists(config.Model) ? config.Model
                : throw new InvalidInputException($"run config: model '{config.Model}' is not a directory (or \"demo\")");
            return ArtifactRef.Of(TrainModelStep.BaseModel, model);
        }
        catch (Exception e)
        {
            await recorder.StepFailedAsync(input.RunId, GeeRunWorkflow.StartStage, e.Message, CancellationToken.None);
            throw;
        }
    }
}
