using OneShotGee.Modeling.Config;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)) (Shazeer 2020, as in Llama); gate and up as one product.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    public readonly Linear gate_proj, up_proj, down_proj;
    readonly FusedProjection gateUp;
    internal FusedProjection GateUp => gateUp;

    public Mlp(ModelConfig c, ScalarType dtype, Device device) : base(nameof(Mlp))
    {
        gateUp = new FusedProjection(c.HiddenSize, [c.IntermediateSize, c.IntermediateSize], c.MlpBias, dtype, device);
        (gate_proj, up_proj) = (gateUp.Parts[0], gateUp.Parts[1]);
        down_proj = new Linear(c.IntermediateSize, c.HiddenSize, c.MlpBias, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gateAndUp = gateUp.Forward(x).chunk(2, -1);
        return down_proj.call(nn.functional.silu(gateAndUp[0]) * gateAndUp[1]).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) gateUp.Dispose();
        base.Dispose(disposing);
    }
}
