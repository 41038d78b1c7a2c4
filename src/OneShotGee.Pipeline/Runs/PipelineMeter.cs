using System.Diagnostics.Metrics;
using OneShotGee.Core.Telemetry;

namespace OneShotGee.Pipeline.Runs;

/// <summary>Pipeline step durations on the "OneShotGee" meter, by run, step name and outcome (completed, failed).</summary>
static class PipelineMeter
{
    static readonly Histogram<double> StepDuration = GeeTelemetry.Meter.CreateHistogram("oneshotgee.pipeline.step.duration", "s",
        "Wall time of one pipeline step (prepare, evaluate, train, report)", advice: GeeTelemetry.SecondsBuckets);

    public static void Record(string step, string status, double seconds)
    {
        var tags = RunLabels.CurrentTags();
        tags.Add("step", step);
        tags.Add("status", status);
        StepDuration.Record(seconds, tags);
    }
}
