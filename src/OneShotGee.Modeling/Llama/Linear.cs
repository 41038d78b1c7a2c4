using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>y = x Wᵀ + b, with HF parameter names; allocated uninitialised (weights are loaded or initialised later).</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;
    public readonly Parameter? bias;

    public Linear(long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device) : base(nameof(Linear))
    {
        weight = new Parameter(empty(outFeatures, inFeatures, dtype, device));
        if (hasBias) bias = new Parameter(empty(outFeatures, dtype, device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.linear(x, weight, bias);
}
