using Dapr.Workflow;
using OneShotGee.Orchestrator.Runs;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.Steps;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>
/// The GEE run as a Dapr workflow: start (run directory, base model) → prepare → baseline evaluation → train and
/// evaluate each variant → report, one activity per step of <see cref="GeeRun.Plan"/>, in the plan's order. It only
/// plans (pure computation on the config) and routes artifact references; the activities do the I/O, so replays
/// are deterministic. The custom status is the current stage.
/// </summary>
public sealed class GeeRunWorkflow : Workflow<GeeRunInput, GeeRunResult>
{
    /// <summary>Short steps: a few quick retries for transient failures (a busy disk, a restarted host).</summary>
    static readonly WorkflowTaskOptions StepRetry = new(new WorkflowRetryPolicy(
        maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(5), backoffCoefficient: 2));

    /// <summary>Training is long and resumes from its latest checkpoint on retry, so it gets more, slower attempts.</summary>
    static readonly WorkflowTaskOptions TrainRetry = new(new WorkflowRetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(30), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(10)));

    public const string StartStage = "start", CompletedStage = "completed";

    public override async Task<GeeRunResult> RunAsync(WorkflowContext context, GeeRunInput input)
    {
        var steps = GeeRun.Plan(RunConfigJson.Parse(input.ConfigJson, $"run '{input.RunId}' config"));
        var stage = StartStage;
        try
        {
            context.SetCustomStatus(stage);
            var baseModel = await context.CallActivityAsync<ArtifactRef>(nameof(StartRunActivity), input, StepRetry);
            var artifacts = new Dictionary<string, ArtifactRef> { [baseModel.Name] = baseModel };
            foreach (var step in steps)
            {
                stage = step.Name;
                context.SetCustomStatus(stage);
                var needs = step.Needs.Select(name => artifacts[name]).ToList();
                var outputs = await context.CallActivityAsync<IReadOnlyList<ArtifactRef>>(
                    nameof(RunStepActivity), new StepInput(input.RunId, input.ConfigJson, step.Name, needs), RetryFor(step));
                foreach (var output in outputs) artifacts[output.Name] = output;
            }
            context.SetCustomStatus(CompletedStage);
            return new GeeRunResult(input.RunId, [.. artifacts.Values]);
        }
        catch (WorkflowTaskFailedException)
        {
            context.SetCustomStatus($"failed at {stage}");
            throw;
        }
    }

    static WorkflowTaskOptions RetryFor(IPipelineStep step) => step is TrainModelStep ? TrainRetry : StepRetry;
}
