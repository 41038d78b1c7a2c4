using Dapr.Workflow;
using OneShotGee.Orchestrator.Workflows;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>Schedules through the Dapr workflow client; an existing instance (a redelivered or repeated request) is left alone.</summary>
sealed class DaprRunScheduler(DaprWorkflowClient workflows) : IRunScheduler
{
    public async Task<bool> TryScheduleAsync(GeeRunInput input, CancellationToken ct)
    {
        var state = await workflows.GetWorkflowStateAsync(input.RunId, getInputsAndOutputs: false, ct);
        if (state is { Exists: true }) return false;
        await workflows.ScheduleNewWorkflowAsync(nameof(GeeRunWorkflow), input.RunId, input, startTime: (DateTimeOffset?)null, ct);
        return true;
    }
}
