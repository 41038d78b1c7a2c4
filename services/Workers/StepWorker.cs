using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneShotGee.Core;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Remote;

namespace OneShotGee.Workers;

/// <summary>
/// Runs a step for an activity (called by Dapr or over HTTP) after checking that the step is that activity's kind, at
/// most <c>maxConcurrentSteps</c> at once (<see cref="WorkerOptions.MaxConcurrentSteps"/>).
/// When the app is stopping (a pod being evicted) running steps are cancelled and waited for (<see cref="StepDrain"/>):
/// training checkpoints first, and the workflow's retry resumes it, here or on another replica.
/// </summary>
public sealed class StepWorker(StepExecutor executor, IHostApplicationLifetime lifetime, ILogger<StepWorker> logger, int maxConcurrentSteps = 1)
{
    readonly ConcurrentDictionary<Task, StepRequest> running = new();
    readonly SemaphoreSlim turns = new(maxConcurrentSteps, maxConcurrentSteps);

    /// <param name="taskExecutionKey">Dapr's key of this activity execution, logged to tie the step to the sidecar's records.</param>
    public async Task<StepResult> RunAsync(string activity, StepRequest request, CancellationToken ct, string? taskExecutionKey = null)
    {
        var route = StepRoute.For(StepExecutor.StepOf(request));
        if (route.Activity != activity)
            throw new InvalidInputException($"step '{request.Step}' runs in {route.Activity} on app '{route.AppId}', not in {activity}");
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        if (!turns.Wait(0))
        {
            logger.LogInformation("{RunId} {Step}: waiting for a running step to end ({Running})", request.RunId, request.Step, string.Join(", ", Running));
            await turns.WaitAsync(stopping.Token);
        }
        try
        {
            logger.LogInformation("{RunId} {Step}: running in {Activity} (task {TaskExecutionKey})", request.RunId, request.Step, activity, taskExecutionKey ?? "direct");
            var progress = new SynchronousProgress<string>(line => logger.LogInformation("{RunId} {Line}", request.RunId, line));
            var step = executor.ExecuteAsync(request, progress, stopping.Token);
            running[step] = request;
            try
            {
                return await step;
            }
            finally
            {
                running.TryRemove(step, out _);
            }
        }
        finally
        {
            turns.Release();
        }
    }

    /// <summary>The steps running now, by run id and step name.</summary>
    public IReadOnlyList<string> Running => [.. running.Values.Select(r => $"{r.RunId}/{r.Step}")];

    /// <summary>Completes when every step running now has ended, however it ended.</summary>
    public Task DrainAsync(CancellationToken ct) =>
        Task.WhenAll(running.Keys.Select(step => step.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(ct);
}

/// <summary>On shutdown, waits (up to the host's shutdown timeout) for cancelled steps to save their work and stop.</summary>
public sealed class StepDrain(StepWorker worker, ILogger<StepDrain> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken ct)
    {
        if (worker.Running is not { Count: > 0 } steps) return;
        logger.LogInformation("Stopping: waiting for {Steps} to save their work", string.Join(", ", steps));
        await worker.DrainAsync(ct);
    }
}
