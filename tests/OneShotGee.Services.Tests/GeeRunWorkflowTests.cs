using Dapr.Workflow;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Config;

namespace OneShotGee.Services.Tests;

/// <summary>The workflow's logic with a recording context: no sidecar, no activities run; what it asks for is checked.</summary>
public sealed class GeeRunWorkflowTests
{
    // run.json's default variants are "em" (lambda 0) and "gee" (lambda 3): two variants, no held-out set.
    static readonly GeeRunInput Input = new("run-1", new RunConfig().ToJson());

    static ArtifactRef Ref(string name) => new(name, $"file:///runs/run-1/{name}", 1, new string('0', 64));

    /// <summary>What each step produces (names as the pipeline steps document them).</summary>
    static IReadOnlyList<ArtifactRef> OutputsOf(string step) => step switch
    {
        "prepare-train-data" => [Ref("train-data")],
        "train-em" => [Ref("model-em"), Ref("metrics-em")],
        "train-gee" => [Ref("model-gee"), Ref("metrics-gee")],
        "report" => [Ref("report")],
        _ when step.StartsWith("evaluate-") => [Ref("eval-" + step["evaluate-".Length..])],
        _ => throw new InvalidOperationException($"unexpected step {step}"),
    };

    static object Answer(string activity, object? input, string? failingStep = null) => (activity, input) switch
    {
        (nameof(StartRunActivity), GeeRunInput) => Ref("base-model"),
        (nameof(RunStepActivity), StepInput step) when step.Step == failingStep => throw new IOException("disk full"),
        (nameof(RunStepActivity), StepInput step) => OutputsOf(step.Step),
        _ => throw new InvalidOperationException($"unexpected activity {activity}"),
    };

    [Fact]
    public async Task Two_variants_run_every_step_in_order_with_the_artifacts_each_needs()
    {
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i));
        var result = await new GeeRunWorkflow().RunAsync(context, Input);

        Assert.Equal(nameof(StartRunActivity), context.Calls[0].Activity);
        var steps = context.Calls.Skip(1).Select(c => Assert.IsType<StepInput>(c.Input)).ToList();
        Assert.All(context.Calls.Skip(1), c => Assert.Equal(nameof(RunStepActivity), c.Activity));
        Assert.Equal(
            ["prepare-train-data", "evaluate-baseline", "train-em", "evaluate-em", "train-gee", "evaluate-gee", "report"],
            steps.Select(s => s.Step));
        string[] Needs(string step) => [.. steps.Single(s => s.Step == step).Inputs.Select(a => a.Name)];
        Assert.Empty(Needs("prepare-train-data"));
        Assert.Equal(["base-model"], Needs("evaluate-baseline"));
        Assert.Equal(["base-model", "train-data"], Needs("train-em"));
        Assert.Equal(["model-em"], Needs("evaluate-em"));
        Assert.Equal(["base-model", "train-data"], Needs("train-gee"));
        Assert.Equal(["model-gee"], Needs("evaluate-gee"));
        Assert.Equal(["eval-baseline", "eval-em", "eval-gee", "metrics-em", "metrics-gee"], Needs("report"));
        Assert.Equal(Ref("model-gee"), steps.Single(s => s.Step == "evaluate-gee").Inputs.Single());
        Assert.All(steps, s => Assert.Equal(Input.ConfigJson, s.ConfigJson));

        Assert.Equal(["start", .. steps.Select(s => s.Step), "completed"], context.Statuses);
        Assert.Equal("run-1", result.RunId);
        Assert.Contains(Ref("report"), result.Artifacts);
        Assert.Equal(10, result.Artifacts.Count); // base model, train data, 3 evaluations, 2 models, 2 metrics, report
    }

    [Fact]
    public async Task Training_gets_more_retries_than_the_short_steps()
    {
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i));
        await new GeeRunWorkflow().RunAsync(context, Input);

        foreach (var (_, input, options) in context.Calls)
        {
            var isTraining = input is StepInput { Step: var step } && step.StartsWith("train-");
            Assert.Equal(isTraining ? 5 : 3, options?.RetryPolicy?.MaxNumberOfAttempts);
        }
    }

    [Fact]
    public async Task A_failing_activity_fails_the_workflow_with_its_stage_and_nothing_runs_after_it()
    {
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i, failingStep: "train-gee"));

        var error = await Assert.ThrowsAsync<WorkflowTaskFailedException>(() => new GeeRunWorkflow().RunAsync(context, Input));

        Assert.Contains("disk full", error.FailureDetails.ErrorMessage);
        Assert.Equal("failed at train-gee", context.Statuses[^1]);
        Assert.Equal("train-gee", Assert.IsType<StepInput>(context.Calls[^1].Input).Step);
    }

    [Fact]
    public async Task Running_twice_records_the_same_actions()
    {
        var first = new RecordingWorkflowContext((a, i) => Answer(a, i));
        var second = new RecordingWorkflowContext((a, i) => Answer(a, i));

        await new GeeRunWorkflow().RunAsync(first, Input);
        await new GeeRunWorkflow().RunAsync(second, Input);

        Assert.Equal(17, first.Actions.Count); // 8 activity calls; statuses: start, 7 steps, completed
        Assert.Equal(first.Actions, second.Actions);
    }
}
