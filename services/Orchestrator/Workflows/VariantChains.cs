using OneShotGee.Pipeline.Runs;
using OneShotGee.Pipeline.Steps;

namespace OneShotGee.Orchestrator.Workflows;

/// <summary>
/// A run's plan in the shape <see cref="GeeRunWorkflow"/> schedules it: the steps before training (prepare, baseline
/// evaluation) one after the other, then one chain per variant (<c>train-&lt;v&gt;</c>, <c>evaluate-&lt;v&gt;</c>) that
/// only needs those steps' outputs and its own, so chains may run side by side, then the steps after them (report).
/// </summary>
public sealed record VariantChains(
    IReadOnlyList<IPipelineStep> Before, IReadOnlyList<IReadOnlyList<IPipelineStep>> Chains, IReadOnlyList<IPipelineStep> After)
{
    /// <summary>Splits <see cref="OneShotGee.Pipeline.GeeRun.Plan"/>'s order: a chain starts at each training step and ends before the next one or the report.</summary>
    public static VariantChains Of(IReadOnlyList<IPipelineStep> plan)
    {
        var firstTraining = FirstIndex(plan, 0, s => s is TrainModelStep);
        var after = FirstIndex(plan, firstTraining, s => s is ReportStep);
        var chains = new List<List<IPipelineStep>>();
        for (var i = firstTraining; i < after; i++)
        {
            if (plan[i] is TrainModelStep) chains.Add([]);
            chains[^1].Add(plan[i]);
        }
        return new([.. plan.Take(firstTraining)], chains, [.. plan.Skip(after)]);
    }

    static int FirstIndex(IReadOnlyList<IPipelineStep> plan, int from, Func<IPipelineStep, bool> match)
    {
        for (var i = from; i < plan.Count; i++)
            if (match(plan[i])) return i;
        return plan.Count;
    }
}
