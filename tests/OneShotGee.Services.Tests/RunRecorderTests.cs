using OneShotGee.Orchestrator.Runs;
using OneShotGee.Pipeline.State;
using OneShotGee.Tests;

namespace OneShotGee.Services.Tests;

public sealed class RunRecorderTests : IDisposable
{
    readonly TempDirectory root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task Step_metrics_are_kept_per_step_and_a_retried_step_replaces_its_own()
    {
        var store = new LocalRunStore(root.Path);
        var recorder = new RunRecorder(store, TimeProvider.System);
        await recorder.CreatedAsync("r1", "{}", CancellationToken.None);

        await recorder.StepCompletedAsync("r1", "evaluate-baseline", [], new Dictionary<string, double> { ["paired.gap"] = 1.02 }, CancellationToken.None);
        await recorder.StepCompletedAsync("r1", "train-gee", [], new Dictionary<string, double> { ["loss"] = 3.5, ["step"] = 4 }, CancellationToken.None);
        await recorder.StepCompletedAsync("r1", "train-gee", [], new Dictionary<string, double> { ["loss"] = 2.5 }, CancellationToken.None);
        await recorder.StepCompletedAsync("r1", "train-gee-2", [], null, CancellationToken.None);

        var record = (await store.GetAsync("r1"))!.Record;
        Assert.Equal(new Dictionary<string, double> { ["evaluate-baseline.paired.gap"] = 1.02, ["train-gee.loss"] = 2.5 }, record.Metrics);
    }

    [Fact]
    public async Task With_variants_in_parallel_the_stage_shows_the_steps_in_flight()
    {
        var store = new LocalRunStore(root.Path);
        var recorder = new RunRecorder(store, TimeProvider.System);
        await recorder.CreatedAsync("r1", "{}", CancellationToken.None);

        await recorder.StepStartedAsync("r1", "train-em", CancellationToken.None, ["train-em"]);
        await recorder.StepStartedAsync("r1", "train-gee", CancellationToken.None, ["train-em", "train-gee"]);
        Assert.Equal("train-em, train-gee", (await store.GetAsync("r1"))!.Record.Stage);
        await recorder.StepCompletedAsync("r1", "train-em", [], null, CancellationToken.None, ["train-gee"]);
        Assert.Equal("train-gee", (await store.GetAsync("r1"))!.Record.Stage);
        await recorder.StepCompletedAsync("r1", "train-gee", [], null, CancellationToken.None, []);
        Assert.Equal("train-gee", (await store.GetAsync("r1"))!.Record.Stage); // nothing in flight: the last step stays
        await recorder.StepStartedAsync("r1", "report", CancellationToken.None);
        Assert.Equal("report", (await store.GetAsync("r1"))!.Record.Stage);
    }
}
