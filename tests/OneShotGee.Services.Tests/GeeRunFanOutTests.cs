using System.Text.Json.Nodes;
using Dapr.Workflow;
using Microsoft.Extensions.Configuration;
using OneShotGee.Orchestrator;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Remote;
using OneShotGee.Workers;

namespace OneShotGee.Services.Tests;

/// <summary>
/// Variants in parallel: every step stays pending until the test completes it, in an order it chooses, so what is in
/// flight at once is observable (the recording context answers the run record, events and the base model at once).
/// </summary>
public sealed class GeeRunFanOutTests
{
    static GeeRunInput Input(int? maxParallel, params string[] variants) => new("run-1",
        new RunConfig { Variants = [.. variants.Select(v => new JsonObject { ["name"] = v })] }.ToJson(), MaxParallelVariants: maxParallel);

    static ArtifactRef Ref(string name) => new(name, $"dapr://artifacts/runs/run-1/{name}", 1, new string('0', 64));

    static IReadOnlyList<ArtifactRef> OutputsOf(string step) => step switch
    {
        "prepare-train-data" => [Ref("train-data")],
        "report" => [Ref("report")],
        _ when step.StartsWith("train-") => [Ref("model-" + step["train-".Length..]), Ref("metrics-" + step["train-".Length..])],
        _ => [Ref("eval-" + step["evaluate-".Length..])],
    };

    sealed class Steps
    {
        public List<(string Step, TaskCompletionSource<object> Result)> Pending { get; } = [];
        public List<IReadOnlyList<string>> InFlightWhenOneEnded { get; } = [];
        public int MaxInFlight { get; private set; }

        public Task<object> Answer(string activity, object? input)
        {
            if (input is not StepRequest step)
                return Task.FromResult<object>(activity == nameof(ResolveBaseModelActivity) ? Ref("base-model") : true);
            var result = new TaskCompletionSource<object>();
            Pending.Add((step.Step, result));
            MaxInFlight = Math.Max(MaxInFlight, Pending.Count);
            return result.Task;
        }

        /// <summary>Ends the oldest (or newest) pending step, resuming the workflow inline up to its next await.</summary>
        public void EndOne(bool newestFirst, string? failing)
        {
            var (step, result) = newestFirst ? Pending[^1] : Pending[0];
            InFlightWhenOneEnded.Add([.. Pending.Select(p => p.Step)]);
            Pending.RemoveAll(p => p.Step == step);
            if (step == failing) result.SetException(new IOException("disk full"));
            else result.SetResult(new StepResult(OutputsOf(step), new Dictionary<string, double>()));
        }
    }

    /// <summary>Off xunit's synchronization context, so an ended step resumes the workflow inline (as the sweep tests do).</summary>
    static Task<GeeRunResult> DriveAsync(RecordingWorkflowContext context, Steps steps, GeeRunInput input, bool newestFirst = false, string? failing = null) =>
        Task.Run(() =>
        {
            var run = new GeeRunWorkflow().RunAsync(context, input);
            while (!run.IsCompleted) steps.EndOne(newestFirst, failing);
            return run;
        });

    static List<RunUpdate> Updates(RecordingWorkflowContext context) =>
        [.. context.Calls.Where(c => c.Activity == nameof(RecordRunActivity)).Select(c => (RunUpdate)c.Input!)];

    static int IndexOf(List<RunUpdate> updates, string stage, StageEvent e) => updates.FindIndex(u => u.Stage == stage && u.Event == e);

    [Fact]
    public async Task With_a_bound_of_2_both_variants_train_at_once_and_the_report_waits_for_both()
    {
        var steps = new Steps();
        var context = new RecordingWorkflowContext(steps.Answer);
        var result = await DriveAsync(context, steps, Input(2, "em", "gee"));

        // train-gee is called before train-em ends: both trainers work at once.
        Assert.Contains(steps.InFlightWhenOneEnded, inFlight => inFlight.SequenceEqual(["train-em", "train-gee"]));
        Assert.Equal(2, steps.MaxInFlight);
        Assert.Contains("train-em, train-gee", context.Statuses);
        var updates = Updates(context);
        Assert.True(IndexOf(updates, "train-gee", StageEvent.Started) < IndexOf(updates, "train-em", StageEvent.Completed));
        Assert.Equal(["train-em", "train-gee"], updates[IndexOf(updates, "train-gee", StageEvent.Started)].Running);
        Assert.Equal(["evaluate-em", "train-gee"], updates[IndexOf(updates, "evaluate-em", StageEvent.Started)].Running); // in plan order
        var reportStarted = IndexOf(updates, "report", StageEvent.Started);
        Assert.True(reportStarted > IndexOf(updates, "evaluate-em", StageEvent.Completed));
        Assert.True(reportStarted > IndexOf(updates, "evaluate-gee", StageEvent.Completed));
        var report = (StepRequest)context.Calls.Single(c => c.Input is StepRequest { Step: "report" }).Input!;
        Assert.Equal(["eval-baseline", "eval-em", "eval-gee", "metrics-em", "metrics-gee", "train-data"], report.Inputs.Select(a => a.Name));
        Assert.Equal(10, result.Artifacts.Count);
        Assert.Equal("completed", context.Statuses[^1]);
    }

    [Fact]
    public async Task Variants_beyond_the_bound_wait_for_a_free_slot_whichever_finishes_first()
    {
        var steps = new Steps();
        var context = new RecordingWorkflowContext(steps.Answer);
        var result = await DriveAsync(context, steps, Input(2, "a", "b", "c"), newestFirst: true);

        Assert.Equal(2, steps.MaxInFlight);
        var started = context.Calls.Where(c => c.Input is StepRequest).Select(c => ((StepRequest)c.Input!).Step).ToList();
        // b's chain ends first (newest first), so c starts in b's slot while a still trains.
        Assert.Equal(["prepare-train-data", "evaluate-baseline", "train-a", "train-b", "evaluate-b", "train-c", "evaluate-c", "evaluate-a", "report"], started);
        Assert.Contains(result.Artifacts, a => a.Name == "eval-c");
    }

    [Fact]
    public async Task A_bound_of_1_keeps_the_sequential_order_and_records_exactly()
    {
        var steps = new Steps();
        var driven = new RecordingWorkflowContext(steps.Answer);
        await DriveAsync(driven, steps, Input(1, "em", "gee"));
        var unsetSteps = new Steps();
        var unset = new RecordingWorkflowContext(unsetSteps.Answer);
        await DriveAsync(unset, unsetSteps, Input(null, "em", "gee"));

        Assert.Equal(1, steps.MaxInFlight);
        Assert.Equal(
            ["start", "prepare-train-data", "evaluate-baseline", "train-em", "evaluate-em", "train-gee", "evaluate-gee", "report", "completed"],
            driven.Statuses);
        Assert.All(Updates(driven), u => Assert.Null(u.Running));
        // A run scheduled before the setting existed (no bound in its input) replays the same actions.
        Assert.Equal(unset.Actions, driven.Actions);
    }

    [Fact]
    public async Task A_failing_variant_fails_the_run_after_its_sibling_in_flight_ends_and_nothing_new_starts()
    {
        var steps = new Steps();
        var context = new RecordingWorkflowContext(steps.Answer);

        var error = await Assert.ThrowsAsync<WorkflowTaskFailedException>(() =>
            DriveAsync(context, steps, Input(2, "em", "gee"), failing: "train-em"));

        Assert.Contains("disk full", error.FailureDetails.ErrorMessage);
        var updates = Updates(context);
        Assert.True(IndexOf(updates, "train-gee", StageEvent.Completed) >= 0); // in flight at the failure: ran to its end
        Assert.DoesNotContain(context.Calls, c => c.Input is StepRequest { Step: "evaluate-gee" or "evaluate-em" or "report" });
        Assert.Equal(("train-em", StageEvent.Failed, "disk full"), (updates[^1].Stage, updates[^1].Event, updates[^1].Error));
        Assert.Equal("failed at train-em", context.Statuses[^1]);
        var published = Assert.IsType<RunCompletedEvent>(context.Calls[^1].Input);
        Assert.Equal(("failed", "train-em: disk full"), (published.Status, published.Error));
        Assert.Contains(published.Artifacts, a => a.Name == "model-gee");
    }

    [Fact]
    public void The_bound_comes_from_Runs_MaxParallelVariants_default_1()
    {
        Assert.Equal(1, new RunsOptions().MaxParallelVariants);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Runs:MaxParallelVariants"] = "2",
        }).Build();
        Assert.Equal(2, configuration.GetSection(RunsOptions.Section).Get<RunsOptions>()!.Validated().MaxParallelVariants);
        Assert.Throws<OneShotGee.Core.InvalidInputException>(() => new RunsOptions { MaxParallelVariants = 0 }.Validated());
        Assert.Throws<OneShotGee.Core.InvalidInputException>(() => new RunsOptions { MaxParallelVariants = 17 }.Validated());
    }
}
