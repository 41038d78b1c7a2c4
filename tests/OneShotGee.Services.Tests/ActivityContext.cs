using System.Text.Json;
using Dapr.Workflow;
using Dapr.Workflow.Abstractions;

namespace OneShotGee.Services.Tests;

/// <summary>An activity's context as the worker would give it; no sidecar behind it.</summary>
sealed class TestActivityContext(string name) : WorkflowActivityContext
{
    public override TaskIdentifier Identifier => new(name);
    public override string InstanceId => "run-1";
    public override string TaskExecutionKey => $"run-1:{name}:0";
    public override int ScheduledEventId => 0;
}

/// <summary>
/// Answers a workflow's activity calls with real activity instances, their inputs and outputs passed through JSON
/// with the Web defaults as the Dapr SDK's serializer does, so only what a message really carries reaches them.
/// </summary>
sealed class ActivityDispatcher(params IWorkflowActivity[] activities)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<object> CallAsync(string name, object? input)
    {
        var activity = activities.Single(a => a.GetType().Name == name);
        var received = JsonSerializer.Deserialize(JsonSerializer.Serialize(input, Json), activity.InputType, Json);
        var output = await activity.RunAsync(new TestActivityContext(name), received);
        return JsonSerializer.Deserialize(JsonSerializer.Serialize(output, Json), activity.OutputType, Json)!;
    }
}
