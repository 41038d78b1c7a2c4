using OneShotGee.Orchestrator.Workflows;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>Starts the GEE run (or sweep) workflow with the run (sweep) id as its instance id, at most once per id.</summary>
public interface IRunScheduler
{
    /// <summary>Schedules the run; false (and nothing started) when a workflow with that instance id already exists.</summary>
    Task<bool> TryScheduleAsync(GeeRunInput input, CancellationToken ct);

    /// <summary>Schedules the sweep with its id as instance id; false when that instance already exists.</summary>
    Task<bool> TryScheduleSweepAsync(GeeSweepInput input, CancellationToken ct);
}
