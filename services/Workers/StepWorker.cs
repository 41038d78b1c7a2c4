using Microsoft.Extensions.Logging;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Remote;

namespace OneShotGee.Workers;

/// <summary>Runs a step for an activity (called by Dapr or over HTTP) after checking that the step is that activity's kind.</summary>
public sealed class StepWorker(StepExecutor executor, ILogger<StepWorker> logger)
{
    public async Task<IReadOnlyList<ArtifactRef>> RunAsync(string activity, StepRequest request, CancellationToken ct)
    {
        var route = StepRoute.For(StepExecutor.StepOf(request));
        if (route.Activity != activity)
            throw new InvalidInputException($"step '{request.Step}' runs in {route.Activity} on app '{route.AppId}', not in {activity}");
        var progress = new Progress<string>(line => logger.LogInformation("{RunId} {Line}", request.RunId, line));
        return await executor.ExecuteAsync(request, progress, ct);
    }
}
