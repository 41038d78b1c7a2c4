using Dapr.Workflow;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Remote;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.Steps;
using OneShotGee.Workers;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>
/// The GEE run as a Dapr workflow: resolve the base model (trainer) → prepare (dataprep) → baseline evaluation
/// (evaluator) → train (trainer) and evaluate each variant → report (evaluator), one cross-app activity per step of
/// <see cref="GeeRun.Plan"/> (<see cref="StepRoute"/>), then "run completed" on pub/sub, also when a step failed.
/// It only plans (pure computation on the config) and routes artifact references; activities do the I/O, the run
/// record included, so replays are deterministic; it logs only through the replay-safe logger. The custom status is the
/// current stage.
/// </summary>
public sealed class GeeRunWorkflow : Workflow<GeeRunInput, GeeRunResult>
{
    /// <summary>Activities on the orchestrator: a few quick retries for transient failures (a busy disk, a restarted host).</summary>
    static WorkflowTaskOptions Local(StepRetries retries) => new(retries.Local.ToPolicy());

    /// <summary>
    /// Steps on the worker apps: the target may still be starting (a GPU node pulling the CUDA image), so these retries
    /// span minutes. Training is long and resumes from its latest checkpoint on retry, so it gets slower attempts.
    /// </summary>
    static WorkflowRetryPolicy RetryFor(StepRetries retries, IPipelineStep? step) =>
        (step is TrainModelStep ? retries.Training : retries.CrossApp).ToPolicy();

    public const string StartStage = "start", CompletedStage = "completed";

    public override async Task<GeeRunResult> RunAsync(WorkflowContext context, GeeRunInput input)
    {
        var log = context.CreateReplaySafeLogger<GeeRunWorkflow>();
        // Part of the input, so a replay uses the policies the run was scheduled with (Runs:StepRetries at that time).
        var retries = input.Retries ?? new StepRetries();
        var config = RunConfig.Parse(input.ConfigJson, $"run '{input.RunId}' config");
        var steps = GeeRun.Plan(config);
        log.LogInformation("Run {RunId}: {Steps} steps: {Plan}", input.RunId, steps.Count, string.Join(" → ", steps.Select(s => s.Name)));
        var stage = StartStage;
        var artifacts = new Dictionary<string, ArtifactRef>();
        try
        {
            context.SetCustomStatus(stage);
            await Record(context, retries, new RunUpdate(input.RunId, stage, StageEvent.Started));
            var baseModel = await context.CallActivityAsync<ArtifactRef>(StepRoute.ResolveBaseModel.Activity,
                new BaseModelRequest(input.RunId, config.Model), Remote(StepRoute.ResolveBaseModel, RetryFor(retries, null)));
            artifacts[baseModel.Name] = baseModel;
            await Record(context, retries, new RunUpdate(input.RunId, stage, StageEvent.Completed, [baseModel]));
            foreach (var step in steps)
            {
                stage = step.Name;
                context.SetCustomStatus(stage);
                await Record(context, retries, new RunUpdate(input.RunId, stage, StageEvent.Started));
                var route = StepRoute.For(step);
                log.LogInformation("Run {RunId}: {Step} on {App}", input.RunId, step.Name, route.AppId);
                var request = new StepRequest(input.RunId, input.ConfigJson, step.Name, [.. step.Needs.Select(name => artifacts[name])]);
                var result = await context.CallActivityAsync<StepResult>(route.Activity, request, Remote(route, RetryFor(retries, step)));
                foreach (var output in result.Outputs) artifacts[output.Name] = output;
                await Record(context, retries, new RunUpdate(input.RunId, stage, StageEvent.Completed, result.Outputs, Metrics: result.Metrics));
            }
            context.SetCustomStatus(CompletedStage);
            log.LogInformation("Run {RunId}: completed with {Artifacts} artifacts", input.RunId, artifacts.Count);
            await context.CallActivityAsync<bool>(nameof(PublishRunCompletedActivity),
                new RunCompletedEvent(input.RunId, RunCompletedEvent.Completed, [.. artifacts.Values]), Local(retries));
            return new GeeRunResult(input.RunId, [.. artifacts.Values]);
        }
        catch (WorkflowTaskFailedException e)
        {
            context.SetCustomStatus($"failed at {stage}");
            var error = e.FailureDetails.ErrorMessage;
            log.LogError("Run {RunId}: {Step} failed after its retries: {Error}", input.RunId, stage, error);
            await Record(context, retries, new RunUpdate(input.RunId, stage, StageEvent.Failed, Error: error));
            await context.CallActivityAsync<bool>(nameof(PublishRunCompletedActivity),
                new RunCompletedEvent(input.RunId, RunCompletedEvent.Failed, [.. artifacts.Values], $"{stage}: {error}"), Local(retries));
            throw;
        }
    }

    static Task Record(WorkflowContext context, StepRetries retries, RunUpdate update) =>
        context.CallActivityAsync<bool>(nameof(RecordRunActivity), update, Local(retries));

    static WorkflowTaskOptions Remote(StepRoute route, WorkflowRetryPolicy retry) => new(retry, route.AppId);
}
