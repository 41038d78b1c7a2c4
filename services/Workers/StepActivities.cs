using Dapr.Workflow;
using OneShotGee.Pipeline.Artifacts;
using OneShotGee.Pipeline.Remote;

namespace OneShotGee.Workers;

/// <summary>
/// A pipeline step as a Dapr workflow activity; the class name is the activity name the workflow calls
/// (<see cref="StepRoute"/>). Each refuses steps of another kind.
/// </summary>
public abstract class StepActivity(StepWorker worker) : WorkflowActivity<StepRequest, StepResult>
{
    public override Task<StepResult> RunAsync(WorkflowActivityContext context, StepRequest input) =>
        worker.RunAsync(GetType().Name, input, CancellationToken.None, context.TaskExecutionKey);
}

/// <summary>On dataprep: writes a prepared Parquet dataset.</summary>
public sealed class PrepareDataActivity(StepWorker worker) : StepActivity(worker);

/// <summary>On trainer: GEE training of one variant; a retry resumes from its latest checkpoint.</summary>
public sealed class TrainModelActivity(StepWorker worker) : StepActivity(worker);

/// <summary>On evaluator: evaluates the baseline or a trained variant.</summary>
public sealed class EvaluateModelActivity(StepWorker worker) : StepActivity(worker);

/// <summary>On evaluator: the side-by-side report.</summary>
public sealed class WriteReportActivity(StepWorker worker) : StepActivity(worker);
