using System.Diagnostics.Metrics;
using OneShotGee.Core.Telemetry;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>
/// Runs by status on the "OneShotGee" meter: a counter per status a run record enters (pending when created,
/// running, completed, failed). A run retried after a failure enters running again. No run_id label: the
/// counter answers "how many runs", per-run state is on GET /runs/{id}.
/// </summary>
static class RunMeter
{
    static readonly Counter<long> Runs = GeeTelemetry.Meter.CreateCounter<long>("oneshotgee.runs", "{run}",
        "Run records that entered each status (pending, running, completed, failed)");

    public static void Entered(RunStatus status) =>
        Runs.Add(1, new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant()));
}
