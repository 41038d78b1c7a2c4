using Dapr.Workflow;
using Grpc.Core;
using OneShotGee.Orchestrator.Workflows;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>
/// Schedules through the Dapr workflow client; an existing instance (a redelivered or repeated request, or one started
/// by a concurrent request after this one looked) is left alone.
/// Without a reachable sidecar the client waits indefinitely, so each request gets <see cref="RunsOptions.SidecarTimeout"/>.
/// </summary>
public sealed class DaprRunScheduler(DaprWorkflowClient workflows, RunsOptions options) : IRunScheduler
{
    TimeSpan SidecarTimeout => options.SidecarTimeout;

    // Each run carries the configured step retry policies (Runs:StepRetries) and variant bound (Runs:MaxParallelVariants):
    // a workflow cannot take them from dependency injection (Dapr.Workflow analyzer DAPR1305), and in its input they
    // stay the same on every replay.
    public Task<bool> TryScheduleAsync(GeeRunInput input, CancellationToken ct) =>
        TryScheduleAsync(nameof(GeeRunWorkflow), input.RunId, WithSettings(input), $"run '{input.RunId}'", ct);

    public Task<bool> TryScheduleSweepAsync(GeeSweepInput input, CancellationToken ct) =>
        TryScheduleAsync(nameof(GeeSweepWorkflow), input.SweepId, input with { Runs = [.. input.Runs.Select(WithSettings)] }, $"sweep '{input.SweepId}'", ct);

    GeeRunInput WithSettings(GeeRunInput input) => input with
    {
        Retries = input.Retries ?? options.StepRetries,
        MaxParallelVariants = input.MaxParallelVariants ?? options.MaxParallelVariants,
    };

    async Task<bool> TryScheduleAsync(string workflow, string instanceId, object input, string what, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(SidecarTimeout);
        try
        {
            var state = await workflows.GetWorkflowStateAsync(instanceId, getInputsAndOutputs: false, timeout.Token);
            if (state is { Exists: true }) return false;
            await workflows.ScheduleNewWorkflowAsync(workflow, instanceId, input, startTime: (DateTimeOffset?)null, timeout.Token);
            return true;
        }
        catch (RpcException e) when (IsAlreadyStarted(e))
        {
            return false; // a concurrent request started it between the check and the start
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }
                                   && timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"the Dapr sidecar did not answer within {SidecarTimeout.TotalSeconds:0.###} s while scheduling {what}; is daprd running beside the orchestrator?");
        }
    }

    /// <summary>daprd answers a start of an existing instance with Unknown and "an active workflow with ID '…' already exists"; AlreadyExists is the gRPC code for it.</summary>
    static bool IsAlreadyStarted(RpcException e) => e.StatusCode == StatusCode.AlreadyExists
        || e.StatusCode == StatusCode.Unknown && e.Status.Detail.Contains("already exists", StringComparison.OrdinalIgnoreCase);
}
