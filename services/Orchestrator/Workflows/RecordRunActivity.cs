using Dapr.Workflow;
using OneShotGee.Orchestrator.Runs;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>Applies a <see cref="RunUpdate"/> to the run record (what GET /runs/{id} shows); the workflow itself does no I/O.</summary>
public sealed class RecordRunActivity(RunRecorder recorder) : WorkflowActivity<RunUpdate, bool>
{
    public override async Task<bool> RunAsync(WorkflowActivityContext context, RunUpdate update)
    {
        var task = update.Event switch
        {
            StageEvent.Started => recorder.StepStartedAsync(update.RunId, update.Stage, CancellationToken.None, update.Running),
            StageEvent.Completed => recorder.StepCompletedAsync(update.RunId, update.Stage, update.Outputs ?? [], update.Metrics, CancellationToken.None, update.Running),
            _ => recorder.StepFailedAsync(update.RunId, update.Stage, update.Error ?? "failed", CancellationToken.None),
        };
        await task;
        return true;
    }
}
