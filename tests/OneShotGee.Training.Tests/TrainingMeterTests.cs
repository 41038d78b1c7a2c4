using System.Diagnostics.Metrics;
using OneShotGee.Core.Gee;
using OneShotGee.Core.Telemetry;

namespace OneShotGee.Training.Tests;

public sealed class TrainingMeterTests
{
    [Fact]
    public void AStepIsRecordedOnTheOneShotGeeMeterWithAGroupTagPerGroupEntropy()
    {
        var gee = new GeeStepMetrics(3, Loss: 1.5, LossEm: 1.2, LossBias: 0.3, MeanEntropy: 1.2,
            new Dictionary<string, double> { ["male"] = 1.4, ["female"] = 1.0, ["nonbinary"] = 1.2 }, EntropyGap: 0.4, Lambda: 3, []);
        var metrics = new TrainStepMetrics(gee, GradNorm: 2.5, LearningRate: 2e-5, GeneratedTokens: 100,
            SamplingSeconds: 1, OptimizerSeconds: 0.5, StepSeconds: 4, PeakMemoryBytes: 1);
        var seen = new List<(string Name, double Value, string? Group)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GeeTelemetry.Name) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            Record(seen, instrument.Name, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            Record(seen, instrument.Name, value, tags));
        listener.Start();

        TrainingMeter.Record(metrics);

        lock (seen) // training tests in other classes record on the same meter meanwhile
        {
            Assert.Contains(("oneshotgee.train.loss", 1.5, null), seen);
            Assert.Contains(("oneshotgee.train.entropy_gap", 0.4, null), seen);
            Assert.Contains(("oneshotgee.train.group_entropy", 1.4, "male"), seen);
            Assert.Contains(("oneshotgee.train.group_entropy", 1.0, "female"), seen);
            Assert.Contains(("oneshotgee.train.group_entropy", 1.2, "nonbinary"), seen);
            Assert.Contains(("oneshotgee.train.tokens_per_second", 25.0, null), seen);
            Assert.Contains(("oneshotgee.train.generated_tokens", 100.0, null), seen);
        }
    }

    [Fact]
    public void TheCurrentRunLabelsTagEveryMeasurementAndAreGoneAfterTheScope()
    {
        var gee = new GeeStepMetrics(1, 1, 1, 0, 1, new Dictionary<string, double> { ["male"] = 1, ["female"] = 1 }, 0, 0, []);
        var metrics = new TrainStepMetrics(gee, 1, 1e-5, 10, 0, 0, 1, 1);
        var tags = new List<(string Instrument, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GeeTelemetry.Name && instrument.Name.StartsWith("oneshotgee.train.", StringComparison.Ordinal))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, t, _) => Collect(tags, instrument.Name, t));
        listener.SetMeasurementEventCallback<long>((instrument, _, t, _) => Collect(tags, instrument.Name, t));
        listener.Start();

        using (RunLabels.Push(new RunLabels("run-7", RunLabels.ModelName("/models/Qwen2.5-0.5B/"))))
        using (RunLabels.PushVariant("gee"))
            TrainingMeter.Record(metrics);
        TrainingMeter.Record(metrics);

        lock (tags)
        {
            Assert.Contains(("oneshotgee.train.loss", "run_id=run-7,model=Qwen2.5-0.5B,variant=gee"), tags);
            Assert.Contains(("oneshotgee.train.group_entropy", "run_id=run-7,model=Qwen2.5-0.5B,variant=gee,group=male"), tags);
            Assert.Contains(("oneshotgee.train.loss", ""), tags);
            Assert.Null(RunLabels.Current);
        }
    }

    static void Collect(List<(string, string)> seen, string name, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var joined = new List<string>();
        foreach (var tag in tags) joined.Add($"{tag.Key}={tag.Value}");
        lock (seen) seen.Add((name, string.Join(",", joined)));
    }

    static void Record(List<(string, double, string?)> seen, string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? group = null;
        foreach (var tag in tags) if (tag.Key == "group") group = (string?)tag.Value;
        lock (seen) seen.Add((name, value, group));
    }

    [Fact]
    public void TheConsoleLineNamesStepLossGapEachGroupAndLambda()
    {
        var gee = new GeeStepMetrics(3, 1.5, 1.2, 0.3, 1.2, new Dictionary<string, double> { ["male"] = 1.4, ["female"] = 1.0 }, 0.4, 3, []);
        var line = new TrainStepMetrics(gee, 2.5, 2e-5, 100, 1, 0.5, 4, 1).ToString();
        Assert.StartsWith("Step 3 | loss=1.5000 | gap=0.4000 | H[male]=1.4000 | H[female]=1.0000 | λ=3.000", line);
    }

    [Fact]
    public void WithAKlAnchorTheLossGainsBetaTimesKlAndTheKlIsReportedEverywhere()
    {
        var gee = new GeeStepMetrics(3, 1.5, 1.2, 0.3, 1.2, new Dictionary<string, double> { ["male"] = 1.4, ["female"] = 1.0 }, 0.4, 3, [])
            .WithKlAnchor(coefficient: 0.1, kl: 0.625);
        var metrics = new TrainStepMetrics(gee, 2.5, 2e-5, 100, 1, 0.5, 4, 1);
        var seen = new List<(string Name, double Value, string? Group)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GeeTelemetry.Name) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(seen, instrument.Name, value, tags));
        listener.Start();

        TrainingMeter.Record(metrics);

        Assert.Equal(1.5625, gee.Loss, 12); // 1.2 + 0.3 + 0.1·0.625
        Assert.StartsWith("Step 3 | loss=1.5625 | gap=0.4000 | H[male]=1.4000 | H[female]=1.0000 | KL=0.6250 | λ=3.000", metrics.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(metrics.ToJsonLine());
        Assert.Equal(0.625, json.RootElement.GetProperty("kl").GetDouble());
        Assert.Equal(0.0625, json.RootElement.GetProperty("loss_kl").GetDouble(), 12);
        lock (seen)
        {
            Assert.Contains(("oneshotgee.train.kl", 0.625, null), seen);
            Assert.Contains(("oneshotgee.train.loss", 1.5625, null), seen);
        }
    }

    [Fact]
    public void WithoutAKlAnchorNoKlIsWritten()
    {
        var gee = new GeeStepMetrics(1, 1, 1, 0, 1, new Dictionary<string, double> { ["male"] = 1, ["female"] = 1 }, 0, 0, []);
        var metrics = new TrainStepMetrics(gee, 1, 1e-5, 10, 0, 0, 1, 1);
        using var json = System.Text.Json.JsonDocument.Parse(metrics.ToJsonLine());
        Assert.False(json.RootElement.TryGetProperty("kl", out _));
        Assert.DoesNotContain("KL=", metrics.ToString());
    }
}
