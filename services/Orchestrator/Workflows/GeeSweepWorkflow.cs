using Dapr.Workflow;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>
/// A sweep: one child <see cref="GeeRunWorkflow"/> per point, instance id = the point's run id, at most
/// <see cref="GeeSweepInput.MaxParallel"/> at once, started in the points' order. A failed child is reported in the
/// result and the others go on. Only workflow calls and <c>Task.WhenAny</c> over them, so replays are deterministic.
/// </summary>
public sealed class GeeSweepWorkflow : Workflow<GeeSweepInput, GeeSweepResult>
{
    public override async Task<GeeSweepResult> RunAsync(WorkflowContext context, GeeSweepInput input)
    {
        var log = context.CreateReplaySafeLogger<GeeSweepWorkflow>();
        var results = new SweepRunResult[input.Runs.Count];
        var running = new List<(int Index, Task<GeeRunResult> Run)>();
        var next = 0;
        while (next < input.Runs.Count || running.Count > 0)
        {
            while (running.Count < input.MaxParallel && next < input.Runs.Count)
            {
                var run = input.Runs[next];
                running.Add((next++, context.CallChildWorkflowAsync<GeeRunResult>(
                    nameof(GeeRunWorkflow), run, new ChildWorkflowTaskOptions(InstanceId: run.RunId))));
            }
            context.SetCustomStatus($"{results.Count(r => r is not null)}/{results.Length} runs finished");
            var done = await Task.WhenAny(running.Select(r => r.Run));
            var (index, finished) = running.First(r => r.Run == done);
            running.RemoveAll(r => r.Index == index);
            var runId = input.Runs[index].RunId;
            results[index] = finished.IsCompletedSuccessfully
                ? new SweepRunResult(runId, true, finished.Result.Artifacts, null)
                : new SweepRunResult(runId, false, [], finished.Exception?.InnerException switch
                {
                    WorkflowTaskFailedException failed => failed.FailureDetails.ErrorMessage,
                    { } other => other.Message,
                    null => "cancelled",
                });
            if (results[index].Succeeded) log.LogInformation("Sweep {SweepId}: run {RunId} completed", input.SweepId, runId);
            else log.LogWarning("Sweep {SweepId}: run {RunId} failed: {Error}", input.SweepId, runId, results[index].Error);
        }
        context.SetCustomStatus($"{results.Length}/{results.Length} runs finished, {results.Count(r => !r.Succeeded)} failed");
        return new GeeSweepResult(input.SweepId, results);
    }
}
