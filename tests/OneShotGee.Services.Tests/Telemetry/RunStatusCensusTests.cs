using System.Diagnostics.Metrics;
using OneShotGee.Core.Telemetry;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Pipeline.State;

namespace OneShotGee.Services.Tests.Telemetry;

/// <summary>In the scrape's collection: the gauge is process-wide, and the scrape must see its own fixture's counts.</summary>
[Collection(MetricsScrape.Collection)]
public sealed class RunStatusCensusTests
{
    [Fact]
    public async Task The_orchestrator_counts_the_runs_in_each_status_of_its_store()
    {
        await using var host = await OrchestratorHost.StartAsync(new Dictionary<string, string?> { ["Runs:CensusInterval"] = "00:00:00.05" });
        var recorder = host.Services<RunRecorder>();
        foreach (var run in new[] { "a", "b", "c" }) await recorder.CreatedAsync(run, "{}", CancellationToken.None);
        await recorder.StepStartedAsync("b", "train-gee", CancellationToken.None);
        await recorder.StepFailedAsync("c", "train-gee", "out of memory", CancellationToken.None);
        var expected = new Dictionary<string, int> { ["pending"] = 1, ["running"] = 1, ["completed"] = 0, ["failed"] = 1 };

        var deadline = DateTime.UtcNow.AddSeconds(30);
        Dictionary<string, int> observed;
        do
        {
            await Task.Delay(50);
            observed = Observe();
        }
        while (!observed.OrderBy(o => o.Key).SequenceEqual(expected.OrderBy(e => e.Key)) && DateTime.UtcNow < deadline);

        Assert.Equal(expected.OrderBy(e => e.Key), observed.OrderBy(o => o.Key));
    }

    [Theory]
    [InlineData("Runs:CensusInterval", "00:00:00", "Runs:CensusInterval is 00:00:00")]
    [InlineData("Runs:Store", "redis", "Runs:Store is 'redis'")]
    public async Task Bad_orchestrator_settings_are_named(string key, string value, string problem)
    {
        var error = await Assert.ThrowsAsync<Core.InvalidInputException>(() => OrchestratorHost.StartAsync(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(problem, error.Message);
    }

    static Dictionary<string, int> Observe()
    {
        var observed = new Dictionary<string, int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GeeTelemetry.Name && instrument.Name == "oneshotgee.runs.in_status") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => observed[(string)tags.ToArray().Single(t => t.Key == "status").Value!] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }
}
