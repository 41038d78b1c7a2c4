using Dapr.Workflow;
using OneShotGee.Orchestrator.Workflows;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>
/// Schedules through the Dapr workflow client; an existing instance (a redelivered or repeated request) is left alone.
/// Without a reachable sidecar the client waits indefinitely, so each request gets <see cref="RunsOptions.SidecarTimeout"/>.
/// </summary>
public sealed class DaprRunScheduler(DaprWorkflowClient workflows, RunsOptions options) : IRunScheduler
{
    TimeSpan SidecarTimeout => options.SidecarTimeout;

    public async Task<bool> TryScheduleAsync(GeeRunInput input, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(SidecarTimeout);
        try
        {
            var state = await workflows.GetWorkflowStateAsync(input.RunId, getInputsAndOutputs: false, timeout.Token);
            if (state is { Exists: true }) return false;
            await workflows.ScheduleNewWorkflowAsync(nameof(GeeRunWorkflow), input.RunId, input, startTime: (DateTimeOffset?)null, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.Cancelled }
                                   && timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"the Dapr sidecar did not answer within {SidecarTimeout.TotalSeconds:0.###} s while scheduling run '{input.RunId}'; is daprd running beside the orchestrator?");
        }
    }
}
