using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Training;

/// <summary>
/// AdamW after clipping the global gradient norm, as HF Trainer steps. Half-precision parameters are stepped
/// through float32 <see cref="MasterWeights"/> (float32 optimizer state too); float32 ones directly.
/// </summary>
public sealed class ClippedAdamW : IDisposable
{
    readonly IReadOnlyList<Parameter> trainable;
    readonly MasterWeights? master;
    readonly AdamW adamW;
    readonly double maxGradNorm;

    public ClippedAdamW(IReadOnlyList<Parameter> trainable, TrainOptions options)
    {
        this.trainable = trainable;
        maxGradNorm = options.MaxGradNorm;
        if (trainable.Any(p => p.dtype != ScalarType.Float32)) master = new MasterWeights(trainable);
        // TorchSharp's AdamW defaults weight_decay to 0; PyTorch's (and the seed's) is 0.01.
        adamW = optim.AdamW(Stepped, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }

    IReadOnlyList<Parameter> Stepped => master?.Parameters ?? trainable;

    /// <summary>Clips, checks and steps; returns the gradient norm before clipping. Throws naming the step when it is not finite.</summary>
    public double Step(int step)
    {
        using var scope = NewDisposeScope();
        master?.CopyGradientsUp();
        var gradNorm = nn.utils.clip_grad_norm_(Stepped, maxGradNorm);
        TrainingGuard.EnsureFiniteGradients(gradNorm, step);
        adamW.step();
        master?.CopyWeightsDown();
        ZeroGradients();
        return gradNorm;
    }

    public void ZeroGradients()
    {
        adamW.zero_grad();
        if (master is null) return;
        using var scope = NewDisposeScope();
        foreach (var p in trainable) p.grad?.zero_();
    }

    /// <summary>The AdamW state (moments and step counts) and the master weights, if any.</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        adamW.save_state_dict(writer);
        if (master is not null)
            foreach (var p in master.Parameters) p.Save(writer);
    }

    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        adamW.load_state_dict(reader);
        if (master is null) return;
        using var noGrad = no_grad();
        foreach (var p in master.Parameters) p.Load(reader);
        master.CopyWeightsDown();
    }

    public void Dispose()
    {
        adamW.Dispose();
        master?.Dispose();
    }
}
