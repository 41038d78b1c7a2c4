using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Dapr.DurableTask.Protobuf;

namespace OneShotGee.Dapr.Tests.Fakes;

/// <summary>
/// FAKE workflow engine behind the sidecar's <c>TaskHubSidecarService</c> (Dapr.Workflow's generated protos): the two
/// methods <c>DaprWorkflowClient</c> uses to schedule and inspect — StartInstance and GetInstance. A started instance
/// stays RUNNING (nothing executes it); starting an id that exists fails as daprd does for an active workflow.
/// With <see cref="Unresponsive"/> every call waits until the caller gives up, like a sidecar that accepted the
/// connection but never answers.
/// </summary>
public sealed class FakeWorkflowEngine
{
    readonly ConcurrentDictionary<string, CreateInstanceRequest> _instances = new();

    public ConcurrentQueue<(string Method, string? ApiToken)> Calls { get; } = new();

    /// <summary>Instances in the order they were started.</summary>
    public ConcurrentQueue<CreateInstanceRequest> Started { get; } = new();

    public bool Unresponsive { get; set; }

    /// <summary>The code a start of an existing instance fails with: daprd's Unknown (with its message), or AlreadyExists.</summary>
    public StatusCode AlreadyExistsCode { get; set; } = StatusCode.Unknown;

    /// <summary>Runs after GetInstance has answered: lets a test start the instance in between, as a concurrent request would.</summary>
    public Action<string>? AfterGetInstance { get; set; }

    /// <summary>An instance started by someone else (not recorded in <see cref="Started"/>).</summary>
    public void StartedElsewhere(string instanceId, string name) =>
        _instances.TryAdd(instanceId, new CreateInstanceRequest { InstanceId = instanceId, Name = name });

    public async Task<CreateInstanceResponse> StartInstance(CreateInstanceRequest request, ServerCallContext context)
    {
        await AnswerAsync(context);
        if (!_instances.TryAdd(request.InstanceId, request))
            throw new RpcException(new Status(AlreadyExistsCode, $"an active workflow with ID '{request.InstanceId}' already exists"));
        Started.Enqueue(request);
        return new CreateInstanceResponse { InstanceId = request.InstanceId };
    }

    public async Task<GetInstanceResponse> GetInstance(GetInstanceRequest request, ServerCallContext context)
    {
        await AnswerAsync(context);
        try { return Answer(request); }
        finally { AfterGetInstance?.Invoke(request.InstanceId); }
    }

    GetInstanceResponse Answer(GetInstanceRequest request)
    {
        if (!_instances.TryGetValue(request.InstanceId, out var created)) return new GetInstanceResponse { Exists = false };
        return new GetInstanceResponse
        {
            Exists = true,
            WorkflowState = new WorkflowState
            {
                InstanceId = created.InstanceId,
                Name = created.Name,
                WorkflowStatus = OrchestrationStatus.Running,
                CreatedTimestamp = Timestamp.FromDateTime(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
                LastUpdatedTimestamp = Timestamp.FromDateTime(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
                Input = request.GetInputsAndOutputs ? created.Input : null,
            },
        };
    }

    async Task AnswerAsync(ServerCallContext context)
    {
        FakeDaprSidecar.Record(Calls, context);
        if (Unresponsive) await Task.Delay(Timeout.Infinite, context.CancellationToken);
    }

    internal sealed class Methods : IServiceMethodProvider<FakeWorkflowEngine>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<FakeWorkflowEngine> context)
        {
            var service = TaskHubSidecarService.Descriptor.FullName;
            context.AddUnaryMethod(FakeDaprSidecar.Unary(service, "StartInstance", CreateInstanceRequest.Parser, CreateInstanceResponse.Parser), [],
                (engine, request, call) => engine.StartInstance(request, call));
            context.AddUnaryMethod(FakeDaprSidecar.Unary(service, "GetInstance", GetInstanceRequest.Parser, GetInstanceResponse.Parser), [],
                (engine, request, call) => engine.GetInstance(request, call));
        }
    }
}
