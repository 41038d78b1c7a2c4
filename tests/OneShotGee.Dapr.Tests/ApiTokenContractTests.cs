using System.Text.Json;
using Dapr.Client;
using Dapr.Workflow;
using Microsoft.Extensions.DependencyInjection;
using OneShotGee.Dapr.Tests.Fakes;
using OneShotGee.Orchestrator;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Orchestrator.Workflows;

namespace OneShotGee.Dapr.Tests;

/// <summary>
/// Contract tests of what reaches the sidecar. REAL: the DaprClient and DaprWorkflowClient that <c>AddOrchestrator</c>
/// registers, configured only through configuration (<c>DAPR_API_TOKEN</c>, <c>DAPR_GRPC_ENDPOINT</c>, as environment
/// variables set them), gRPC over loopback. FAKE: the sidecar, which records each call's <c>dapr-api-token</c> metadata.
/// </summary>
public sealed class ApiTokenContractTests : IAsyncLifetime
{
    readonly TempDirectory _objects = new();
    FakeDaprSidecar _sidecar = null!;

    public async Task InitializeAsync() => _sidecar = await FakeDaprSidecar.StartAsync(
        [new FakeStorageBinding("artifacts", StorageBindingType.AwsS3, _objects.Path)], [new FakeStateStore("statestore")]);

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _objects.Dispose();
    }

    async Task CallEveryKindAsync(string? token)
    {
        await using var app = WorkflowClientContractTests.Orchestrator(_sidecar.GrpcEndpoint, daprApiToken: token);
        var dapr = app.Services.GetRequiredService<DaprClient>();
        await dapr.SaveStateAsync("statestore", "k", new { a = 1 });
        await dapr.GetStateAsync<JsonElement>("statestore", "k");
        await new ObjectBinding(dapr, "artifacts", StorageBindingType.AwsS3).CreateAsync("x.bin", [1, 2, 3], CancellationToken.None);
        await dapr.PublishEventAsync("pubsub", "gee-run-completed", new { runId = "r1" });
        var scheduler = new DaprRunScheduler(app.Services.GetRequiredService<DaprWorkflowClient>(), app.Services.GetRequiredService<RunsOptions>());
        await scheduler.TryScheduleAsync(new GeeRunInput("r1", "{}"), CancellationToken.None);
    }

    string[] MethodsCalled() =>
        [.. _sidecar.Calls.Concat(_sidecar.Workflows.Calls).Select(c => c.Method.Split('/')[^1]).Distinct().Order()];

    [Fact]
    public async Task With_DAPR_API_TOKEN_set_every_state_binding_publish_and_workflow_call_carries_it()
    {
        await CallEveryKindAsync("s3cret-token");

        Assert.Equal(["GetInstance", "GetState", "InvokeBinding", "PublishEvent", "SaveState", "StartInstance"], MethodsCalled());
        Assert.All(_sidecar.Calls.Concat(_sidecar.Workflows.Calls), call => Assert.Equal("s3cret-token", call.ApiToken));
    }

    [Fact]
    public async Task Without_DAPR_API_TOKEN_no_token_is_sent()
    {
        await CallEveryKindAsync(token: null);

        Assert.Equal(6, MethodsCalled().Length);
        Assert.All(_sidecar.Calls.Concat(_sidecar.Workflows.Calls), call => Assert.Null(call.ApiToken));
    }
}
