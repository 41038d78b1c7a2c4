using Dapr.Workflow;
using Microsoft.Extensions.Logging;
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
/// Variants' chains run up to <see cref="GeeRunInput.MaxParallelVariants"/> at once (one per trainer replica); the
/// report waits for all. It only plans (pure computation on the config) and routes artifact references; activities do
/// the I/O, the run record included, so replays are deterministic; it logs only through the replay-safe logger. The
/// custom status is the current stage, or the steps in flight in plan order (<c>train-em, train-gee</c>).
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
        var config = RunConfig.Parse(input.ConfigJson, $"run '{input.RunId}' config");
        var steps = GeeRun.Plan(config);
        log.LogInformation("Run {RunId}: {Steps} steps: {Plan}", input.RunId, steps.Count, string.Join(" → ", steps.Select(s => s.Name)));
        var run = new Run(context, input, steps, log);
        var plan = VariantChains.Of(steps);
        try
        {
            context.SetCustomStatus(run.Stage);
            await run.Record(new RunUpdate(input.RunId, run.Stage, StageEvent.Started));
            var baseModel = await context.CallActivityAsync<ArtifactRef>(StepRoute.ResolveBaseModel.Activity,
                new BaseModelRequest(input.RunId, config.Model, GeeRun.DemoAttribute(steps)), Remote(StepRoute.ResolveBaseModel, RetryFor(run.Retries, null)));
            run.Artifacts[baseModel.Name] = baseModel;
            await run.Record(new RunUpdate(input.RunId, run.Stage, StageEvent.Completed, [baseModel]));
            foreach (var step in plan.Before) await run.StepAsync(step);
            await run.ChainsAsync(plan.Chains);
            foreach (var step in plan.After) await run.StepAsync(step);
            context.SetCustomStatus(CompletedStage);
            log.LogInformation("Run {RunId}: completed with {Artifacts} artifacts", input.RunId, run.Artifacts.Count);
            await context.CallActivityAsync<bool>(nameof(PublishRunCompletedActivity),
                new RunCompletedEvent(input.RunId, RunCompletedEvent.Completed, [.. run.Artifacts.Values]), Local(run.Retries));
            return new GeeRunResult(input.RunId, [.. run.Artifacts.Values]);
        }
        catch (WorkflowTaskFailedException e)
        {
            context.SetCustomStatus($"failed at {run.Stage}");
            var error = e.FailureDetails.ErrorMessage;
            log.LogError("Run {RunId}: {Step} failed after its retries: {Error}", input.RunId, run.Stage, error);
            await run.Record(new RunUpdate(input.RunId, run.Stage, StageEvent.Failed, Error: error));
            await context.CallActivityAsync<bool>(nameof(PublishRunCompletedActivity),
                new RunCompletedEvent(input.RunId, RunCompletedEvent.Failed, [.. run.Artifacts.Values], $"{run.Stage}: {error}"), Local(run.Retries));
            throw;
        }
    }

    /// <summary>One run's progress: the artifacts so far, the steps in flight and the stage a failure is reported at.</summary>
    sealed class Run(WorkflowContext context, GeeRunInput input, IReadOnlyList<IPipelineStep> plan, ILogger log)
    {
        // Part of the input, so a replay uses the settings the run was scheduled with (Runs:StepRetries and
        // Runs:MaxParallelVariants at that time); a run scheduled before MaxParallelVariants existed stays sequential.
        public StepRetries Retries { get; } = input.Retries ?? new StepRetries();
        readonly int maxParallel = Math.Max(1, input.MaxParallelVariants ?? 1);
        readonly List<IPipelineStep> inFlight = [];

        public Dictionary<string, ArtifactRef> Artifacts { get; } = [];
        public string Stage { get; private set; } = StartStage;

        public Task Record(RunUpdate update) => context.CallActivityAsync<bool>(nameof(RecordRunActivity), update, Local(Retries));

        public async Task StepAsync(IPipelineStep step) => await FinishAsync(step, await await StartAsync(step));

        /// <summary>
        /// Each variant's chain in order, up to <see cref="GeeRunInput.MaxParallelVariants"/> at once: the sweep's
        /// bounded fan-out, over activities. When a step fails, no further step starts; the steps in flight run to
        /// their end (their outputs are recorded, and no trainer works on for a run already reported failed), then the
        /// first failure fails the run. Only activity calls and <c>Task.WhenAny</c> over them, so replays are deterministic.
        /// </summary>
        public async Task ChainsAsync(IReadOnlyList<IReadOnlyList<IPipelineStep>> chains)
        {
            var running = new List<(IReadOnlyList<IPipelineStep> Chain, int Index, Task<StepResult> Result)>();
            var next = 0;
            (IPipelineStep Step, Task<StepResult> Result)? failed = null;
            while (running.Count > 0 || failed is null && next < chains.Count)
            {
                while (failed is null && running.Count < maxParallel && next < chains.Count)
                {
                    var chain = chains[next++];
                    running.Add((chain, 0, await StartAsync(chain[0])));
                }
                var done = await Task.WhenAny(running.Select(r => r.Result));
                var (doneChain, index, _) = running.First(r => r.Result == done);
                running.RemoveAll(r => r.Result == done);
                var step = doneChain[index];
                if (!done.IsCompletedSuccessfully)
                {
                    inFlight.Remove(step);
                    failed ??= (step, done);
                    if (failed.Value.Step != step)
                        log.LogError("Run {RunId}: {Step} failed too: {Error}", input.RunId, step.Name, ErrorOf(done));
                    continue;
                }
                await FinishAsync(step, done.Result);
                if (failed is null && index + 1 < doneChain.Count)
                    running.Add((doneChain, index + 1, await StartAsync(doneChain[index + 1])));
                else if (inFlight.Count > 0)
                    context.SetCustomStatus(InFlight);
            }
            if (failed is { } first)
            {
                Stage = first.Step.Name;
                await first.Result; // throws the step's failure
            }
        }

        /// <summary>Marks the step started (status, record), then calls it on its app; returns the call, not awaited.</summary>
        async Task<Task<StepResult>> StartAsync(IPipelineStep step)
        {
            Stage = step.Name;
            inFlight.Add(step);
            inFlight.Sort((a, b) => IndexOf(a).CompareTo(IndexOf(b)));
            context.SetCustomStatus(InFlight);
            await Record(new RunUpdate(input.RunId, step.Name, StageEvent.Started, Running: RunningNow()));
            var route = StepRoute.For(step);
            log.LogInformation("Run {RunId}: {Step} on {App}", input.RunId, step.Name, route.AppId);
            var request = new StepRequest(input.RunId, input.ConfigJson, step.Name, [.. step.Needs.Select(name => Artifacts[name])]);
            return context.CallActivityAsync<StepResult>(route.Activity, request, Remote(route, RetryFor(Retries, step)));
        }

        async Task FinishAsync(IPipelineStep step, StepResult result)
        {
            Stage = step.Name;
            inFlight.Remove(step);
            foreach (var output in result.Outputs) Artifacts[output.Name] = output;
            await Record(new RunUpdate(input.RunId, step.Name, StageEvent.Completed, result.Outputs, Metrics: result.Metrics, Running: RunningNow()));
        }

        /// <summary>The custom status: the step in flight, or the steps in flight in plan order.</summary>
        string InFlight => string.Join(", ", inFlight.Select(s => s.Name));

        // Only when variants may overlap, so a sequential run's records are exactly as before.
        IReadOnlyList<string>? RunningNow() => maxParallel > 1 ? [.. inFlight.Select(s => s.Name)] : null;

        int IndexOf(IPipelineStep step) => plan.TakeWhile(s => s != step).Count();

        static string? ErrorOf(Task task) => task.Exception?.InnerException switch
        {
            WorkflowTaskFailedException e => e.FailureDetails.ErrorMessage,
            { } other => other.Message,
            null => "cancelled",
        };
    }

    static WorkflowTaskOptions Remote(StepRoute route, WorkflowRetryPolicy retry) => new(retry, route.AppId);
}
