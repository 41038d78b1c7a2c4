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
}
