using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OneShotGee.Core.Telemetry;

/// <summary>
/// The "OneShotGee" meter and activity source that data prep, training, evaluation, the pipeline and the services
/// record on; the services export both (docs/metrics.md lists every series). Libraries record whether or not anyone
/// listens: without a listener a measurement costs next to nothing.
/// </summary>
public static class GeeTelemetry
{
    public const string Name = "OneShotGee";

    public static Meter Meter { get; } = new(Name);
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Bucket bounds in seconds for durations from a fast CPU step to a long evaluation.</summary>
    public static InstrumentAdvice<double> SecondsBuckets { get; } = new()
    {
        HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    };
}
