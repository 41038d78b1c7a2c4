using Dapr.Client;
using OneShotGee.Orchestrator.Workflows;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>Announces finished runs to whoever listens.</summary>
public interface IRunEvents
{
    Task PublishCompletedAsync(RunCompletedEvent completed, CancellationToken ct);
}

/// <summary>Publishes to topic <see cref="Topic"/> on the <see cref="PubSub"/> component (a CloudEvent).</summary>
public sealed class DaprRunEvents(DaprClient dapr) : IRunEvents
{
    public const string PubSub = "pubsub", Topic = "gee-run-completed";

    public Task PublishCompletedAsync(RunCompletedEvent completed, CancellationToken ct) =>
        dapr.PublishEventAsync(PubSub, Topic, completed, ct);
}
