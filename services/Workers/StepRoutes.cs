using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.Steps;

namespace OneShotGee.Workers;

/// <summary>The Dapr app ids of the worker services (docs/services.md).</summary>
public static class AppIds
{
    public const string DataPrep = "dataprep", Trainer = "trainer", Evaluator = "evaluator";
}

/// <summary>Which activity, on which app, runs a step of the plan: the one place the workflow and the workers agree on.</summary>
public sealed record StepRoute(string Activity, string AppId)
{
    public static StepRoute ResolveBaseModel { get; } = new(nameof(ResolveBaseModelActivity), AppIds.Trainer);

    public static StepRoute For(IPipelineStep step) => step switch
    {
        PrepareDataStep => new(nameof(PrepareDataActivity), AppIds.DataPrep),
        TrainModelStep => new(nameof(TrainModelActivity), AppIds.Trainer),
        EvaluateModelStep => new(nameof(EvaluateModelActivity), AppIds.Evaluator),
        ReportStep => new(nameof(WriteReportActivity), AppIds.Evaluator),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step.GetType().Name, "no activity runs this kind of step"),
    };
}
