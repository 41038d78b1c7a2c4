using OneShotGee.Pipeline.State;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>
/// Counts the runs in each status from the run store every <see cref="RunsOptions.CensusInterval"/> (the first time one
/// interval after start, when the sidecar is likely up) and publishes the
/// counts to <see cref="RunMeter"/>. A census that fails (the sidecar is not up yet) is logged once per outage and
/// tried again at the next interval; the gauge keeps the last counts.
/// </summary>
public sealed class RunStatusCensus(IRunStore store, RunsOptions options, ILogger<RunStatusCensus> logger) : BackgroundService
{
    /// <summary>The run stores index the newest 1000 runs (<c>DaprRunStore.IndexCapacity</c>); older ones are not counted.</summary>
    public const int Window = 1000;

    public static async Task<IReadOnlyDictionary<RunStatus, int>> CountAsync(IRunStore store, CancellationToken ct)
    {
        var runs = await store.ListRecentAsync(Window, ct);
        return Enum.GetValues<RunStatus>().ToDictionary(s => s, s => runs.Count(r => r.Status == s));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        using var timer = new PeriodicTimer(options.CensusInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                RunMeter.Publish(await CountAsync(store, stoppingToken));
                if (failing) logger.LogInformation("Run census works again");
                failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!failing) logger.LogWarning("Run census failed, retrying every {Interval}: {Problem}", options.CensusInterval, e.Message);
                failing = true;
            }
        }
    }
}
