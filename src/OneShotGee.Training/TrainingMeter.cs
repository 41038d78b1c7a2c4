using System.Diagnostics;
using System.Diagnostics.Metrics;
using OneShotGee.Core.Telemetry;

namespace OneShotGee.Training;

/// <summary>
/// The training metrics on the "OneShotGee" meter, labelled with the current <see cref="RunLabels"/>. The per-step
/// values are gauges (the last step's value; Grafana plots them over time), per-group entropies carry a
/// <c>group</c> label; durations are histograms, token and step counts counters. docs/metrics.md lists the
/// Prometheus names.
/// </summary>
public static class TrainingMeter
{
    static readonly Gauge<double> Loss = Gauge("loss", null, "GEE loss L_EM + lambda * L_bias (+ beta * KL) of the last step");
    static readonly Gauge<double> LossEm = Gauge("loss_em", null, "Entropy-minimisation term L_EM of the last step");
    static readonly Gauge<double> LossBias = Gauge("loss_bias", null, "Group-equalisation term L_bias of the last step");
    static readonly Gauge<double> MeanEntropy = Gauge("mean_entropy", "nat", "Mean token entropy over all groups' responses in the last step");
    static readonly Gauge<double> GroupEntropy = Gauge("group_entropy", "nat", "Mean token entropy of one group's responses in the last step");
    static readonly Gauge<double> EntropyGap = Gauge("entropy_gap", "nat", "Largest difference between group entropies in the last step");
    static readonly Gauge<double> Kl = Gauge("kl", "nat", "Mean KL(pi_theta || pi_ref) per generated token of the last step (runs with a KL anchor only)");
    static readonly Gauge<double> Lambda = Gauge("lambda", null, "Weight lambda of L_bias in the last step (after annealing)");
    static readonly Gauge<double> GradNorm = Gauge("grad_norm", null, "Gradient L2 norm before clipping in the last step");
    static readonly Gauge<double> TokensPerSecond = Gauge("tokens_per_second", "{token}/s", "Generated tokens per second of the last step");
    static readonly Gauge<double> PeakMemory = Gauge("peak_memory", "By", "Peak resident memory of the training process (host memory, CPU tensors included)");

    static readonly Histogram<double> StepDuration = GeeTelemetry.Meter.CreateHistogram("oneshotgee.train.step.duration", "s",
        "Wall time of one optimizer step: sampling, forward and backward, optimizer", advice: GeeTelemetry.SecondsBuckets);
    static readonly Counter<long> GeneratedTokens = GeeTelemetry.Meter.CreateCounter<long>("oneshotgee.train.generated_tokens", "{token}",
        "Response tokens sampled for training");
    static readonly Counter<long> Steps = GeeTelemetry.Meter.CreateCounter<long>("oneshotgee.train.steps", "{step}", "Optimizer steps completed");
    static readonly Histogram<double> CheckpointDuration = GeeTelemetry.Meter.CreateHistogram("oneshotgee.train.checkpoint.duration", "s",
        "Wall time of writing one checkpoint", advice: GeeTelemetry.SecondsBuckets);
    static readonly Gauge<long> CheckpointSize = GeeTelemetry.Meter.CreateGauge<long>("oneshotgee.train.checkpoint.size", "By",
        "Size on disk of the last checkpoint written");

    static Gauge<double> Gauge(string name, string? unit, string description) =>
        GeeTelemetry.Meter.CreateGauge<double>("oneshotgee.train." + name, unit, description);

    public static void Record(TrainStepMetrics m)
    {
        var tags = RunLabels.CurrentTags();
        Loss.Record(m.Gee.Loss, tags);
        LossEm.Record(m.Gee.LossEm, tags);
        LossBias.Record(m.Gee.LossBias, tags);
        MeanEntropy.Record(m.Gee.MeanEntropy, tags);
        foreach (var (group, h) in m.Gee.GroupEntropies) GroupEntropy.Record(h, With(tags, "group", group));
        EntropyGap.Record(m.Gee.EntropyGap, tags);
        if (m.Gee.Kl is { } kl) Kl.Record(kl, tags);
        Lambda.Record(m.Gee.Lambda, tags);
        GradNorm.Record(m.GradNorm, tags);
        TokensPerSecond.Record(m.TokensPerSecond, tags);
        PeakMemory.Record(m.PeakMemoryBytes, With(tags, "device", "host"));
        StepDuration.Record(m.StepSeconds, tags);
        GeneratedTokens.Add(m.GeneratedTokens, tags);
        Steps.Add(1, tags);
    }

    /// <summary>A checkpoint written to <paramref name="directory"/> in <paramref name="seconds"/>.</summary>
    public static void RecordCheckpoint(string directory, double seconds)
    {
        var tags = RunLabels.CurrentTags();
        CheckpointDuration.Record(seconds, tags);
        CheckpointSize.Record(new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length), tags);
    }

    static TagList With(TagList tags, string key, string value)
    {
        tags.Add(key, value);
        return tags;
    }
}
