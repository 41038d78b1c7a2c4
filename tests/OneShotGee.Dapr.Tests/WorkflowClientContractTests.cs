using System.Text.Json;
using Dapr.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OneShotGee.Dapr.Tests.Fakes;
using OneShotGee.Orchestrator;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Orchestrator.Workflows;

namespace OneShotGee.Dapr.Tests;

/// <summary>
/// Contract tests of <see cref="DaprRunScheduler"/>. REAL: our scheduler, Dapr.Workflow's DaprWorkflowClient as
/// <c>AddOrchestrator</c> registers it, gRPC over loopback to <c>TaskHubSidecarService</c>. FAKE: the engine behind it
/// (<see cref="FakeWorkflowEngine"/>: instances are recorded, never executed).
/// </summary>
public sealed class WorkflowClientContractTests : IAsyncLifetime
{
    FakeDaprSidecar _sidecar = null!;

    public async Task InitializeAsync() => _sidecar = await FakeDaprSidecar.StartAsync([], []);

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    /// <summary>The orchestrator's services as Program.cs registers them, pointed at <paramref name="endpoint"/>; not started.</summary>
    internal static WebApplication Orchestrator(string endpoint, TimeSpan? sidecarTimeout = null, string? daprApiToken = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["DAPR_GRPC_ENDPOINT"] = endpoint;
        builder.Configuration["DAPR_HTTP_ENDPOINT"] = endpoint;
        if (daprApiToken is not null) builder.Configuration["DAPR_API_TOKEN"] = daprApiToken;
        if (sidecarTimeout is { } timeout) builder.Configuration["Runs:SidecarTimeout"] = timeout.ToString();
        builder.AddOrchestrator();
        return builder.Build();
    }

    static DaprRunScheduler SchedulerOf(WebApplication app) =>
        new(app.Services.GetRequiredService<DaprWorkflowClient>(), app.Services.GetRequiredService<RunsOptions>());

    [Fact]
    public async Task A_run_is_scheduled_with_its_id_as_instance_id_and_its_input_as_json()
    {
        await using var app = Orchestrator(_sidecar.GrpcEndpoint);
        var input = new GeeRunInput("bias-7", "{\"model\":\"demo\"}");

        Assert.True(await SchedulerOf(app).TryScheduleAsync(input, CancellationToken.None));

        var started = Assert.Single(_sidecar.Workflows.Started);
        Assert.Equal("bias-7", started.InstanceId);
        Assert.Equal(nameof(GeeRunWorkflow), started.Name);
        using var json = JsonDocument.Parse(started.Input);
        Assert.Equal("bias-7", json.RootElement.GetProperty("runId").GetString());
        Assert.Equal("{\"model\":\"demo\"}", json.RootElement.GetProperty("configJson").GetString());
        // The scheduler adds Runs:StepRetries, so replays of the run use the policies it started with.
        Assert.Equal(new StepRetries().CrossApp.MaxAttempts, json.RootElement.GetProperty("retries").GetProperty("crossApp").GetProperty("maxAttempts").GetInt32());
    }

    [Fact]
    public async Task Scheduling_an_existing_instance_again_starts_nothing()
    {
        await using var app = Orchestrator(_sidecar.GrpcEndpoint);
        var scheduler = SchedulerOf(app);
        var input = new GeeRunInput("bias-8", "{}");

        Assert.True(await scheduler.TryScheduleAsync(input, CancellationToken.None));
        Assert.False(await scheduler.TryScheduleAsync(input, CancellationToken.None));

        Assert.Single(_sidecar.Workflows.Started);
        Assert.Equal(["GetInstance", "StartInstance", "GetInstance"], _sidecar.Workflows.Calls.Select(c => c.Method.Split('/')[^1]));
    }

    [Theory]
    [InlineData(Grpc.Core.StatusCode.Unknown)]
    [InlineData(Grpc.Core.StatusCode.AlreadyExists)]
    public async Task A_run_started_by_a_concurrent_request_between_check_and_start_is_not_started_here(Grpc.Core.StatusCode answer)
    {
        _sidecar.Workflows.AlreadyExistsCode = answer;
        _sidecar.Workflows.AfterGetInstance = id => _sidecar.Workflows.StartedElsewhere(id, nameof(GeeRunWorkflow));
        await using var app = Orchestrator(_sidecar.GrpcEndpoint);

        Assert.False(await SchedulerOf(app).TryScheduleAsync(new GeeRunInput("bias-9", "{}"), CancellationToken.None));

        Assert.Empty(_sidecar.Workflows.Started);
        Assert.Equal(["GetInstance", "StartInstance"], _sidecar.Workflows.Calls.Select(c => c.Method.Split('/')[^1]));
    }

    [Fact]
    public async Task A_sidecar_that_does_not_answer_is_a_timeout_after_the_configured_time()
    {
        _sidecar.Workflows.Unresponsive = true;
        await using var app = Orchestrator(_sidecar.GrpcEndpoint, sidecarTimeout: TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            SchedulerOf(app).TryScheduleAsync(new GeeRunInput("r1", "{}"), CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
        Assert.Contains("did not answer within 0.3 s", error.Message);
        Assert.Empty(_sidecar.Workflows.Started);
    }

    [Fact]
    public async Task An_unreachable_sidecar_is_a_timeout_too()
    {
        var closedPort = _sidecar.GrpcEndpoint;
        await _sidecar.DisposeAsync(); // nothing listens on the port any more
        await using var app = Orchestrator(closedPort, sidecarTimeout: TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAsync<TimeoutException>(() =>
            SchedulerOf(app).TryScheduleAsync(new GeeRunInput("r1", "{}"), CancellationToken.None));
        _sidecar = await FakeDaprSidecar.StartAsync([], []);
    }
}
