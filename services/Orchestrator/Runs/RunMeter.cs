using System.Diagnostics.Metrics;
using OneShotGee.Core.Telemetry;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Orchestrator.Runs;

/// <summary>
/// Runs on the "OneShotGee" meter, without run_id (per-run state is on GET /runs/{id}):
/// <c>oneshotgee.runs</c>, a counter per status a run record enters (pending when created, running, completed,
/// failed; a run retried after a failure enters running again), for rates; and <c>oneshotgee.runs.in_status</c>, the
/// runs in each status now, as the last <see cref="RunStatusCensus"/> counted them.
/// </summary>
public static class RunMeter
{
    static readonly Counter<long> Runs = GeeTelemetry.Meter.CreateCounter<long>("oneshotgee.runs", "{run}",
        "Run records that entered each status (pending, running, completed, failed)");

    static IReadOnlyDictionary<RunStatus, int>? census;

    // Never read: creating it registers the gauge, whose callback reads the last census.
    static readonly ObservableGauge<int> InStatus = GeeTelemetry.Meter.CreateObservableGauge("oneshotgee.runs.in_status", Observe, "{run}",
        $"Runs in each status now, among the {RunStatusCensus.Window} most recently updated run records");

    public static void Entered(RunStatus status) => Runs.Add(1, StatusTag(status));

    /// <summary>What <c>oneshotgee.runs.in_status</c> reports from now on.</summary>
    public static void Publish(IReadOnlyDictionary<RunStatus, int> counts) => Volatile.Write(ref census, counts);

    static IEnumerable<Measurement<int>> Observe() =>
        Volatile.Read(ref census) is { } counts ? counts.Select(c => new Measurement<int>(c.Value, StatusTag(c.Key))) : [];

    static KeyValuePair<string, object?> StatusTag(RunStatus status) => new("status", status.ToString().ToLowerInvariant());
}
