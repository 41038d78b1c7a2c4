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
        foreach (var (name, weight) in weights)
            if (!IsFinite(weight))
                throw new InvalidInputException(
                    $"weight {name} is not finite at step {step}; the run stopped and wrote no checkpoint for it. " +
                    "Lower --lr, or resume from the last checkpoint.");
    }

    // isfinite allocates a bool per element: checked a slice at a time, the check costs 16 MB, not a second copy of a
    // 7B model's weights in bools.
    const long SliceElements = 16L << 20;

    static bool IsFinite(Tensor weight)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var flat = weight.detach().reshape(-1);
        for (long start = 0; start < flat.shape[0]; start += SliceElements)
        {
            using var slice = NewDisposeScope();
            if (!flat.narrow(0, start, Math.Min(SliceElements, flat.shape[0] - start)).isfinite().all().item<bool>()) return false;
        }
        return true;
    }
}
