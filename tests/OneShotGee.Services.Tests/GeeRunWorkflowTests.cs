using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OneShotGee.Orchestrator;
using OneShotGee.Orchestrator.Workflows;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Remote;
using OneShotGee.Workers;

namespace OneShotGee.Services.Tests;

/// <summary>The workflow's logic with a recording context: no sidecar, no activities run; what it asks for is checked.</summary>
public sealed class GeeRunWorkflowTests
{
    // run.json's default variants are "em" (lambda 0) and "gee" (lambda 3): two variants, no held-out set.
    static readonly GeeRunInput Input = new("run-1", new RunConfig().ToJson());

    static ArtifactRef Ref(string name) => new(name, $"dapr://artifacts/runs/run-1/{name}", 1, new string('0', 64));

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

    static Dictionary<string, double> MetricsOf(string step) => step.StartsWith("train-") ? new() { ["loss"] = step.Length } : [];

    static object Answer(string activity, object? input, string? failingStep = null) => (activity, input) switch
    {
        (nameof(RecordRunActivity), RunUpdate) or (nameof(PublishRunCompletedActivity), RunCompletedEvent) => true,
        (nameof(ResolveBaseModelActivity), BaseModelRequest { Model: "demo" }) => Ref("base-model"),
        (_, StepRequest step) when step.Step == failingStep => throw new IOException("disk full"),
        (_, StepRequest step) => new StepResult(OutputsOf(step.Step), MetricsOf(step.Step)),
        _ => throw new InvalidOperationException($"unexpected activity {activity}"),
    };

    static List<(string Activity, StepRequest Request, WorkflowTaskOptions Options)> StepCalls(RecordingWorkflowContext context) =>
        [.. context.Calls.Where(c => c.Input is StepRequest).Select(c => (c.Activity, (StepRequest)c.Input!, c.Options!))];

    [Theory]
    [InlineData(null, "gender")]
    [InlineData("gender-nb", "gender-nb")]
    public async Task The_base_model_request_carries_the_attribute_of_the_runs_data(string? attribute, string expected)
    {
        var data = new JsonObject { ["synthetic"] = 64 };
        if (attribute is not null) data["attribute"] = attribute;
        var input = new GeeRunInput("run-1", new RunConfig { Data = data }.ToJson());
        var context = new RecordingWorkflowContext((a, i) => i is BaseModelRequest ? Ref("base-model") : Answer(a, i));

        await new GeeRunWorkflow().RunAsync(context, input);

        var request = Assert.IsType<BaseModelRequest>(context.Calls.Single(c => c.Activity == nameof(ResolveBaseModelActivity)).Input);
        Assert.Equal(("demo", expected), (request.Model, request.Attribute));
    }

    [Fact]
    public async Task Every_step_runs_in_order_on_its_app_with_the_artifacts_it_needs()
    {
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i));
        var result = await new GeeRunWorkflow().RunAsync(context, Input);

        var resolve = context.Calls.First(c => c.Activity != nameof(RecordRunActivity));
        Assert.Equal(nameof(ResolveBaseModelActivity), resolve.Activity);
        Assert.Equal("trainer", resolve.Options?.TargetAppId);
        var steps = StepCalls(context);
        Assert.Equal(
            [
                ("prepare-train-data", "PrepareDataActivity", "dataprep"), ("evaluate-baseline", "EvaluateModelActivity", "evaluator"),
                ("train-em", "TrainModelActivity", "trainer"), ("evaluate-em", "EvaluateModelActivity", "evaluator"),
                ("train-gee", "TrainModelActivity", "trainer"), ("evaluate-gee", "EvaluateModelActivity", "evaluator"),
                ("report", "WriteReportActivity", "evaluator"),
            ],
            steps.Select(s => (s.Request.Step, s.Activity, s.Options.TargetAppId)));
        string[] Needs(string step) => [.. steps.Single(s => s.Request.Step == step).Request.Inputs.Select(a => a.Name)];
        Assert.Empty(Needs("prepare-train-data"));
        Assert.Equal(["base-model"], Needs("evaluate-baseline"));
        Assert.Equal(["base-model", "train-data"], Needs("train-em"));
        Assert.Equal(["model-gee"], Needs("evaluate-gee"));
        Assert.Equal(["eval-baseline", "eval-em", "eval-gee", "metrics-em", "metrics-gee", "train-data"], Needs("report")); // train-data: the paired prompts' overlap
        Assert.Equal(Ref("model-gee"), steps.Single(s => s.Request.Step == "evaluate-gee").Request.Inputs.Single());
        Assert.All(steps, s => Assert.Equal(Input.ConfigJson, s.Request.ConfigJson));

        Assert.Equal(["start", .. steps.Select(s => s.Request.Step), "completed"], context.Statuses);
        Assert.Equal(
            [
                "Run run-1: 7 steps: prepare-train-data → evaluate-baseline → train-em → evaluate-em → train-gee → evaluate-gee → report",
                "Run run-1: prepare-train-data on dataprep", "Run run-1: evaluate-baseline on evaluator", "Run run-1: train-em on trainer",
                "Run run-1: evaluate-em on evaluator", "Run run-1: train-gee on trainer", "Run run-1: evaluate-gee on evaluator",
                "Run run-1: report on evaluator", "Run run-1: completed with 10 artifacts",
            ],
            context.Log.Messages);
        Assert.Equal("run-1", result.RunId);
        Assert.Equal(10, result.Artifacts.Count); // base model, train data, 3 evaluations, 2 models, 2 metrics, report
        var published = Assert.IsType<RunCompletedEvent>(context.Calls[^1].Input);
        Assert.Equal(nameof(PublishRunCompletedActivity), context.Calls[^1].Activity);
        Assert.Equal(("run-1", "completed", null), (published.RunId, published.Status, published.Error));
        Assert.Equal(result.Artifacts, published.Artifacts);
    }

    [Fact]
    public async Task Each_stage_is_recorded_started_then_completed_with_its_outputs_by_the_local_activity()
    {
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i));
        await new GeeRunWorkflow().RunAsync(context, Input);

        var updates = context.Calls.Where(c => c.Activity == nameof(RecordRunActivity)).Select(c => Assert.IsType<RunUpdate>(c.Input)).ToList();
        Assert.Equal(16, updates.Count); // start + 7 steps, each started and completed
        Assert.Equal(("start", StageEvent.Started), (updates[0].Stage, updates[0].Event));
        Assert.Equal(["base-model"], updates[1].Outputs!.Select(o => o.Name));
        Assert.Equal(("train-gee", StageEvent.Completed), (updates[11].Stage, updates[11].Event));
        Assert.Equal(["model-gee", "metrics-gee"], updates[11].Outputs!.Select(o => o.Name));
        Assert.Equal("train-gee".Length, updates[11].Metrics!["loss"]); // the step's metrics, passed on as the activity answered them
        Assert.All(context.Calls.Where(c => c.Activity is nameof(RecordRunActivity) or nameof(PublishRunCompletedActivity)),
            c => Assert.Null(c.Options?.TargetAppId));
    }

    [Fact]
    public async Task Messages_carry_references_only_and_stay_small()
    {
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i));
        await new GeeRunWorkflow().RunAsync(context, Input);

        // The config (~1 KiB) plus at most five references: far below the sidecar's 4 MiB limit, whatever the artifacts weigh.
        Assert.All(context.Calls, c => Assert.InRange(JsonSerializer.SerializeToUtf8Bytes(c.Input).Length, 1, Input.ConfigJson.Length + 2048));
    }

    [Fact]
    public async Task Cross_app_steps_retry_for_minutes_training_slower_still_and_local_activities_briefly()
    {
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i));
        await new GeeRunWorkflow().RunAsync(context, Input);

        foreach (var (_, input, options) in context.Calls)
        {
            var isTraining = input is StepRequest { Step: var step } && step.StartsWith("train-");
            var crossApp = options?.TargetAppId is not null;
            Assert.Equal(isTraining ? 5 : crossApp ? 8 : 3, options?.RetryPolicy?.MaxNumberOfAttempts);
            Assert.Equal(isTraining ? TimeSpan.FromSeconds(30) : crossApp ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(5), options?.RetryPolicy?.FirstRetryInterval);
        }
        // A trainer pod on a fresh GPU node pulls a multi-GB CUDA image before it answers: minutes, not the old ~15 s.
        var retries = new StepRetries();
        Assert.True(retries.CrossApp.Span() >= TimeSpan.FromMinutes(5), $"cross-app retries span {retries.CrossApp.Span()}");
        Assert.True(retries.Training.Span() >= TimeSpan.FromMinutes(5), $"training retries span {retries.Training.Span()}");
        Assert.True(retries.Local.Span() < retries.CrossApp.Span());
        Assert.Equal(TimeSpan.FromSeconds(15), retries.Local.Span()); // 5 s, then 10 s
    }

    [Fact]
    public async Task Step_retries_come_from_the_Runs_StepRetries_settings()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Runs:StepRetries:CrossApp:MaxAttempts"] = "12",
            ["Runs:StepRetries:CrossApp:FirstInterval"] = "00:00:20",
            ["Runs:StepRetries:Local:MaxAttempts"] = "2",
        }).Build();
        var options = configuration.GetSection(RunsOptions.Section).Get<RunsOptions>()!.Validated();
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i));
        await new GeeRunWorkflow().RunAsync(context, Input with { Retries = options.StepRetries });

        var resolve = context.Calls.First(c => c.Options?.TargetAppId is not null);
        Assert.Equal(12, resolve.Options!.RetryPolicy!.MaxNumberOfAttempts);
        Assert.Equal(TimeSpan.FromSeconds(20), resolve.Options.RetryPolicy.FirstRetryInterval);
        Assert.All(context.Calls.Where(c => c.Options?.TargetAppId is null), c => Assert.Equal(2, c.Options!.RetryPolicy!.MaxNumberOfAttempts));
        Assert.Throws<OneShotGee.Core.InvalidInputException>(() =>
            (new RunsOptions { StepRetries = new StepRetries { CrossApp = new StepRetry { MaxAttempts = 0 } } }).Validated());
    }

    [Fact]
    public async Task A_failing_step_is_recorded_and_published_as_failed_and_nothing_runs_after_it()
    {
        var context = new RecordingWorkflowContext((a, i) => Answer(a, i, failingStep: "train-gee"));

        var error = await Assert.ThrowsAsync<WorkflowTaskFailedException>(() => new GeeRunWorkflow().RunAsync(context, Input));

        Assert.Contains("disk full", error.FailureDetails.ErrorMessage);
        Assert.Equal("failed at train-gee", context.Statuses[^1]);
        Assert.Equal("train-gee", StepCalls(context)[^1].Request.Step);
        var failed = Assert.IsType<RunUpdate>(context.Calls[^2].Input);
        Assert.Equal(("train-gee", StageEvent.Failed, "disk full"), (failed.Stage, failed.Event, failed.Error));
        var published = Assert.IsType<RunCompletedEvent>(context.Calls[^1].Input);
        Assert.Equal(("failed", "train-gee: disk full"), (published.Status, published.Error));
        Assert.Contains(published.Artifacts, a => a.Name == "model-em"); // what finished before the failure
        Assert.DoesNotContain(published.Artifacts, a => a.Name == "report");
        Assert.Equal((LogLevel.Error, "Run run-1: train-gee failed after its retries: disk full"), (context.Log.Levels[^1], context.Log.Messages[^1]));
    }

    [Fact]
    public async Task Running_twice_records_the_same_actions()
    {
        var first = new RecordingWorkflowContext((a, i) => Answer(a, i));
        var second = new RecordingWorkflowContext((a, i) => Answer(a, i));

        await new GeeRunWorkflow().RunAsync(first, Input);
        await new GeeRunWorkflow().RunAsync(second, Input);

        Assert.Equal(34, first.Actions.Count); // 25 activity calls (16 records, resolve, 7 steps, publish); 9 statuses
        Assert.Equal(first.Actions, second.Actions);
    }
}
