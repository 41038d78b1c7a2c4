using Dapr.Workflow;
using OneShotGee.Orchestrator.Runs;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>Publishes the run's end (completed or failed) to <c>gee-run-completed</c>.</summary>
public sealed class PublishRunCompletedActivity(IRunEvents events) : WorkflowActivity<RunCompletedEvent, bool>
{
    public override async Task<bool> RunAsync(WorkflowActivityContext context, RunCompletedEvent completed)
    {
        await events.PublishCompletedAsync(completed, CancellationToken.None);
        return true;
    }
}
