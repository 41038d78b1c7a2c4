using System.Diagnostics.Metrics;

namespace OneShotGee.Training;

/// <summary>
/// The training metrics on the .NET <see cref="Meter"/> "OneShotGee", for OpenTelemetry/Prometheus exporters in the
/// services. Per-group entropies carry a <c>group</c> tag.
/// </summary>
public static class TrainingMeter
{
    public const string Name = "OneShotGee";

    static readonly Meter Meter = new(Name);
    static readonly Histogram<double> Loss = Meter.CreateHistogram<double>("oneshotgee.train.loss");
    static readonly Histogram<double> LossEm = Meter.CreateHistogram<double>("oneshotgee.train.loss_em");
    static readonly Histogram<double> LossBias = Meter.CreateHistogram<double>("oneshotgee.train.loss_bias");
    static readonly Histogram<double> MeanEntropy = Meter.CreateHistogram<double>("oneshotgee.train.mean_entropy", "nat");
    static readonly Histogram<double> GroupEntropy = Meter.CreateHistogram<double>("oneshotgee.train.group_entropy", "nat");
    static readonly Histogram<double> EntropyGap = Meter.CreateHistogram<double>("oneshotgee.train.entropy_gap", "nat");
    static readonly Histogram<double> Lambda = Meter.CreateHistogram<double>("oneshotgee.train.lambda");
    static readonly Histogram<double> GradNorm = Meter.CreateHistogram<double>("oneshotgee.train.grad_norm");
    static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("oneshotgee.train.step_duration", "s");
    static readonly Histogram<double> TokensPerSecond = Meter.CreateHistogram<double>("oneshotgee.train.tokens_per_second", "{token}/s");
    static readonly Counter<long> GeneratedTokens = Meter.CreateCounter<long>("oneshotgee.train.generated_tokens", "{token}");
    static readonly Counter<long> Steps = Meter.CreateCounter<long>("oneshotgee.train.steps", "{step}");

    public static void Record(TrainStepMetrics m)
    {
        Loss.Record(m.Gee.Loss);
        LossEm.Record(m.Gee.LossEm);
        LossBias.Record(m.Gee.LossBias);
        MeanEntropy.Record(m.Gee.MeanEntropy);
        foreach (var (group, h) in m.Gee.GroupEntropies) GroupEntropy.Record(h, new KeyValuePair<string, object?>("group", group));
        EntropyGap.Record(m.Gee.EntropyGap);
        Lambda.Record(m.Gee.Lambda);
        GradNorm.Record(m.GradNorm);
        StepDuration.Record(m.StepSeconds);
        TokensPerSecond.Record(m.TokensPerSecond);
        GeneratedTokens.Add(m.GeneratedTokens);
        Steps.Add(1);
    }
}
