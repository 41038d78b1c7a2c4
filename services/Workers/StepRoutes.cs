using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.Steps;

namespace OneShotGee.Workers;

/// <summary>The Dapr app ids of the worker services (docs/services.md).</summary>
public static class AppIds
{
    public const string DataPrep = "dataprep", Trainer = "trainer", Evaluator = "evaluator";

    public static IReadOnlyList<string> Workers { get; } = [DataPrep, Trainer, Evaluator];
}

/// <summary>Which activity, on which app, runs a step of the plan: the one place the workflow and the workers agree on.</summary>
public sealed record StepRoute(string Activity, string AppId)
{
    public static StepRoute ResolveBaseModel { get; } = new(nameof(ResolveBaseModelActivity), AppIds.Trainer);
    public static StepRoute PrepareData { get; } = new(nameof(PrepareDataActivity), AppIds.DataPrep);
    public static StepRoute TrainModel { get; } = new(nameof(TrainModelActivity), AppIds.Trainer);
    public static StepRoute EvaluateModel { get; } = new(nameof(EvaluateModelActivity), AppIds.Evaluator);
    public static StepRoute WriteReport { get; } = new(nameof(WriteReportActivity), AppIds.Evaluator);

    /// <summary>The routes of pipeline steps (<see cref="For"/>); these are also served over HTTP.</summary>
    public static IReadOnlyList<StepRoute> Steps { get; } = [PrepareData, TrainModel, EvaluateModel, WriteReport];

    /// <summary>Every activity a worker app runs.</summary>
    public static IReadOnlyList<StepRoute> All { get; } = [ResolveBaseModel, .. Steps];

    public static StepRoute For(IPipelineStep step) => step switch
    {
        PrepareDataStep or PrepareHeldOutStep => PrepareData,
        TrainModelStep => TrainModel,
        EvaluateModelStep => EvaluateModel,
        ReportStep => WriteReport,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step.GetType().Name, "no activity runs this kind of step"),
    };
}
