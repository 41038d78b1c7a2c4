using OneShotGee.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>RMSNorm (Zhang &amp; Sennrich 2019) computed in float32 and cast back, as HF LlamaRMSNorm does.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;
    readonly Scalar eps; // rooted for the module's life (LiveScalars)

    public RmsNorm(long size, double eps, ScalarType dtype, Device device) : base(nameof(RmsNorm))
    {
        weight = new Parameter(empty(size, dtype, device));
        this.eps = eps.ToScalar();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
        // add_(eps) alone would pass a temporary alpha of 1 (TorchSharp Tensor.Math.cs, add_(Scalar)): LiveScalars.
        var inverseRms = h.square().mean([-1], keepdim: true).add_(eps, LiveScalars.One).rsqrt_();
        var normed = h * inverseRms;
        return (weight * (x.dtype == ScalarType.Float32 ? normed : normed.to(x.dtype))).MoveToOuterDisposeScope();
    }
}
