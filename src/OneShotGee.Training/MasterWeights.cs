using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Training;

/// <summary>
/// float32 master copies of half-precision (bf16/fp16) parameters, the mixed-precision recipe of Micikevicius et al.
/// 2018: the optimizer steps the float32 copies and the model gets them rounded back down. Stepping bf16 weights
/// directly loses any update below half a bf16 ulp (~0.4 % of the weight): at lr 2e-5 most weights never move.
/// </summary>
public sealed class MasterWeights : IDisposable
{
    readonly IReadOnlyList<Parameter> model;

    public MasterWeights(IReadOnlyList<Parameter> modelParameters)
    {
        model = modelParameters;
        using var noGrad = no_grad();
        Parameters = [.. model.Select(p =>
        {
            var master = new Parameter(p.detach().to(ScalarType.Float32, copy: true), requires_grad: true);
            master.DetachFromDisposeScope();
            return master;
        })];
    }

    /// <summary>The float32 copies, in the order of the model parameters: what the optimizer steps.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>master.grad ← model.grad in float32 (a parameter without a gradient leaves its master's at none).</summary>
    public void CopyGradientsUp()
    {
        using var scope = NewDisposeScope();
        for (var i = 0; i < model.Count; i++)
        {
            var grad = model[i].grad;
            Parameters[i].grad = grad?.to(ScalarType.Float32);
        }
    }

    /// <summary>model ← master, rounded to the model's dtype.</summary>
    public void CopyWeightsDown()
    {
        using var noGrad = no_grad();
        for (var i = 0; i < model.Count; i++) model[i].copy_(Parameters[i]);
    }

    public void Dispose()
    {
        foreach (var p in Parameters) p.Dispose();
    }
}
