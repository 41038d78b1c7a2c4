using OneShotGee.Orchestrator.Workflows;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>Starts the GEE run workflow with the run id as its instance id, at most once per run id.</summary>
public interface IRunScheduler
{
    /// <summary>Schedules the run; false (and nothing started) when a workflow with that instance id already exists.</summary>
    Task<bool> TryScheduleAsync(GeeRunInput input, CancellationToken ct);
}
