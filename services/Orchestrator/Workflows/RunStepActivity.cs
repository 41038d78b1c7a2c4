using Dapr.Workflow;
using OneShotGee.Core;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>
/// Executes one step of the run's plan through <see cref="PipelineRunner"/>, the code <c>oneshotgee run</c> uses, in
/// the run's directory and manifest. Running with resume makes a retry safe: a step completed with intact outputs is
/// not run again, and a retried training step continues from its latest checkpoint.
/// </summary>
public sealed class RunStepActivity(RunsOptions options, RunRecorder recorder, ILogger<RunStepActivity> logger)
    : WorkflowActivity<StepInput, IReadOnlyList<ArtifactRef>>
{
    public override async Task<IReadOnlyList<ArtifactRef>> RunAsync(WorkflowActivityContext context, StepInput input)
    {
        await recorder.StepStartedAsync(input.RunId, input.Step, CancellationToken.None);
        try
        {
            var config = RunConfigJson.Parse(input.ConfigJson, $"run '{input.RunId}' config");
            var step = GeeRun.Plan(config).SingleOrDefault(s => s.Name == input.Step)
                       ?? throw new InvalidInputException($"run '{input.RunId}': its plan has no step '{input.Step}'");
            var runner = new PipelineRunner(options.RunDirectory(input.RunId), input.RunId, config.ContentSha256(), config.Model);
            var progress = new Progress<string>(line => logger.LogInformation("{RunId} {Line}", input.RunId, line));
            var manifest = await Task.Run(() => runner.Run([step], input.Inputs, resume: true, progress));
            var outputs = manifest.Step(step.Name)!.Outputs!;
            await recorder.StepCompletedAsync(input.RunId, step.Name, outputs, CancellationToken.None);
            return outputs;
        }
        catch (Exception e)
        {
            await recorder.StepFailedAsync(input.RunId, input.Step, e.Message, CancellationToken.None);
            throw;
        }
    }
}
