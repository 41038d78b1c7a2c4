using System.Text.Json;
using OneShotGee.Dapr.Tests.Fakes;

namespace OneShotGee.Dapr.Tests;

/// <summary>
/// Contract test of publishing. REAL: Dapr.Client's PublishEventAsync, gRPC over loopback. FAKE: the sidecar's pub/sub,
/// which records the PublishEvent request as daprd would receive it (before it wraps the data in a CloudEvent).
/// </summary>
public sealed class PublishContractTests
{
    [Fact]
    public async Task A_published_event_reaches_the_sidecar_with_pubsub_topic_json_data_and_content_type()
    {
        await using var sidecar = await FakeDaprSidecar.StartAsync([], []);
        using var dapr = sidecar.CreateClient();

        await dapr.PublishEventAsync("pubsub", "gee-run-completed", new { RunId = "bias-1", Status = "completed" });

        var published = Assert.Single(sidecar.Published);
        Assert.Equal("pubsub", published.PubsubName);
        Assert.Equal("gee-run-completed", published.Topic);
        Assert.Equal("application/json", published.DataContentType);
        using var data = JsonDocument.Parse(published.Data.Memory);
        Assert.Equal("bias-1", data.RootElement.GetProperty("runId").GetString()); // Dapr.Client serializes camelCase
        Assert.Equal("completed", data.RootElement.GetProperty("status").GetString());
    }
}
