using System.Diagnostics;
using System.Diagnostics.Metrics;
using OneShotGee.Core.Telemetry;

namespace OneShotGee.Data;

/// <summary>
/// Data-prep row counts per group on the "OneShotGee" meter, labelled with the current <see cref="RunLabels"/>:
/// rows read (input rows by detected group, <c>neutral</c> included), kept (rows written, replicas included) and
/// dropped (neutral input rows, and detected or augmented rows the balancer left out).
/// </summary>
public static class DataPrepMeter
{
    static readonly Counter<long> Read = Create("read", "Input rows read, by the group detected in them");
    static readonly Counter<long> Kept = Create("kept", "Rows written to the prepared dataset (replicas included), by group");
    static readonly Counter<long> Dropped = Create("dropped", "Rows not written: neutral input rows and rows the balancer left out, by group");

    static Counter<long> Create(string what, string description) =>
        GeeTelemetry.Meter.CreateCounter<long>($"oneshotgee.data.rows.{what}", "{row}", description);

    /// <param name="detected">Input rows per detected group, neutral included (none for synthetic prompts).</param>
    /// <param name="candidates">Rows per group before balancing (detected plus augmented).</param>
    /// <param name="balanced">Rows per group the balancer kept, before replication.</param>
    /// <param name="written">Rows per group written.</param>
    public static void Record(IReadOnlyDictionary<string, int> detected, IReadOnlyDictionary<string, long> candidates,
        IReadOnlyDictionary<string, long> balanced, IReadOnlyDictionary<string, long> written)
    {
        foreach (var (group, rows) in detected) Read.Add(rows, Tags(group));
        foreach (var (group, rows) in written) Kept.Add(rows, Tags(group));
        foreach (var (group, rows) in candidates) Dropped.Add(rows - balanced.GetValueOrDefault(group), Tags(group));
        if (detected.TryGetValue(GroupDetector.Neutral, out var neutral)) Dropped.Add(neutral, Tags(GroupDetector.Neutral));
    }

    static TagList Tags(string group)
    {
        var tags = RunLabels.CurrentTags();
        tags.Add("group", group);
        return tags;
    }
}
