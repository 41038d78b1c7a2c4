using OneShotGee.Core;
using static TorchSharp.torch;

namespace OneShotGee.Training;

/// <summary>Stops a diverged run with an error naming the step, before its state can reach a checkpoint.</summary>
public static class TrainingGuard
{
    public static void EnsureFiniteGradients(double gradNorm, int step)
    {
        if (!double.IsFinite(gradNorm))
            throw new InvalidInputException(
                $"the gradient is not finite at step {step} (norm {gradNorm}); the run stopped before the optimizer step. " +
                "Lower --lr or --tau, or resume from the last checkpoint.");
    }

    public static void EnsureFiniteWeights(IEnumerable<(string Name, TorchSharp.Modules.Parameter Weight)> weights, int step)
    {
        using var scope = NewDisposeScope();
        foreach (var (name, weight) in weights)
            if (!weight.isfinite().all().item<bool>())
                throw new InvalidInputException(
                    $"weight {name} is not finite at step {step}; the run stopped and wrote no checkpoint for it. " +
                    "Lower --lr, or resume from the last checkpoint.");
    }
}
