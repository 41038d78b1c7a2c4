using System.Text.Json;
using Dapr.Workflow;
using Microsoft.Extensions.Logging;

namespace OneShotGee.Services.Tests;

/// <summary>
/// A workflow context without Dapr: activity calls are answered by <c>activities</c> (an exception there becomes the
/// <see cref="WorkflowTaskFailedException"/> Dapr raises for a failed activity), and every action the workflow takes
/// (status changes, activity calls with their JSON inputs, target app and retry attempts) is recorded in order.
/// </summary>
sealed class RecordingWorkflowContext(Func<string, object?, Task<object>> activities) : WorkflowContext
{
    public RecordingWorkflowContext(Func<string, object?, object> answer) : this((a, i) => Task.FromResult(answer(a, i))) { }

    public List<string> Actions { get; } = [];
    public List<(string Activity, object? Input, WorkflowTaskOptions? Options)> Calls { get; } = [];
    public List<string> Statuses { get; } = [];

    /// <summary>Child workflow calls in order; each stays pending until the test completes its <c>Result</c>.</summary>
    public List<(string Workflow, object? Input, ChildWorkflowTaskOptions? Options, TaskCompletionSource<object> Result)> Children { get; } = [];

    /// <summary>The most child workflows that were pending at once.</summary>
    public int MaxChildrenInFlight { get; private set; }

    public override Task<TResult> CallChildWorkflowAsync<TResult>(string workflowName, object? input = null, ChildWorkflowTaskOptions? options = null)
    {
        var result = new TaskCompletionSource<object>();
        Children.Add((workflowName, input, options, result));
        Actions.Add($"child {workflowName} {options?.InstanceId} {JsonSerializer.Serialize(input)}");
        MaxChildrenInFlight = Math.Max(MaxChildrenInFlight, Children.Count(c => !c.Result.Task.IsCompleted));
        return As<TResult>(result.Task);
    }

    static async Task<T> As<T>(Task<object> task) => (T)await task;

    public override string Name => "GeeRunWorkflow";
    public override string InstanceId => "run-1";
    public override DateTime CurrentUtcDateTime => new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public override bool IsReplaying => false;

    public override async Task<T> CallActivityAsync<T>(string name, object? input = null, WorkflowTaskOptions? options = null)
    {
        Calls.Add((name, input, options));
        Actions.Add($"call {name} {JsonSerializer.Serialize(input)} app={options?.TargetAppId} attempts={options?.RetryPolicy?.MaxNumberOfAttempts}");
        object result;
        try { result = await activities(name, input); }
        catch (Exception e)
        {
            throw new WorkflowTaskFailedException($"activity '{name}' failed", new WorkflowTaskFailureDetails(e.GetType().FullName!, e.Message, ""));
        }
        return (T)result;
    }

    public override Task CallActivityAsync(string name, object? input = null, WorkflowTaskOptions? options = null) =>
        CallActivityAsync<object>(name, input, options);

    public override void SetCustomStatus(object? customStatus)
    {
        Statuses.Add($"{customStatus}");
        Actions.Add($"status {customStatus}");
    }

    /// <summary>What the workflow logged through its replay-safe logger (the only logger a deterministic workflow may use).</summary>
    public RecordingLogger<WorkflowContext> Log { get; } = new();

    public override ILogger CreateReplaySafeLogger(string categoryName) => Log;
    public override ILogger CreateReplaySafeLogger(Type type) => Log;
    public override ILogger CreateReplaySafeLogger<T>() => Log;

    // The GEE workflows use none of these; a call would mean it gained behaviour these tests do not cover.
    public override bool IsPatched(string patchName) => throw Unused();
    public override Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken = default) => throw Unused();
    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => throw Unused();
    public override Task<T> WaitForExternalEventAsync<T>(string eventName, CancellationToken cancellationToken = default) => throw Unused();
    public override Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout) => throw Unused();
    public override void SendEvent(string instanceId, string eventName, object payload) => throw Unused();
    public override Task CallChildWorkflowAsync(string workflowName, object? input = null, ChildWorkflowTaskOptions? options = null) => throw Unused();
    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => throw Unused();
    public override Guid NewGuid() => throw Unused();
    public override PropagatedHistory? GetPropagatedHistory() => throw Unused();

    static NotSupportedException Unused() => new("not used by the GEE workflows");
}
