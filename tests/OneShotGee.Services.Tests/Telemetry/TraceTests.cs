using System.Diagnostics;
using OneShotGee.Core.Telemetry;
using OneShotGee.ServiceDefaults;

namespace OneShotGee.Services.Tests.Telemetry;

/// <summary>
/// A step's span must join the run's trace: Dapr.Workflow starts each activity execution's span from the sidecar's
/// trace context on its own source, which exists only if the service listens to that source.
/// </summary>
public sealed class TraceTests
{
    [Fact]
    public async Task Services_record_the_workflow_sdks_spans_and_step_spans_inside_them_join_their_trace()
    {
        await using var host = await OrchestratorHost.StartAsync();
        using var dapr = new ActivitySource(ServiceDefaultsExtensions.DaprWorkflowSource);
        using var unrelated = new ActivitySource($"not-listened-{Guid.NewGuid():N}");

        using var activity = dapr.StartActivity("activity||TrainModelActivity", ActivityKind.Server,
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        using var step = GeeTelemetry.Source.StartActivity("pipeline.step");

        Assert.Null(unrelated.StartActivity("x"));
        Assert.NotNull(activity);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", activity.TraceId.ToHexString());
        Assert.NotNull(step);
        Assert.Equal(activity.SpanId, step.ParentSpanId);
        Assert.Equal(activity.TraceId, step.TraceId);
    }
}
