using OneShotGee.Modeling.Lora;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>y = x Wᵀ + b, with HF parameter names; allocated uninitialised (weights are loaded or initialised later).</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;
    public readonly Parameter? bias;

    /// <summary>A LoRA update added to the output (attached by <see cref="LoraAdapter"/>); null for a plain layer.</summary>
    public LoraBranch? Lora { get; private set; }

    public Linear(long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device) : base(nameof(Linear))
    {
        weight = new Parameter(empty(outFeatures, inFeatures, dtype, device));
        if (hasBias) bias = new Parameter(empty(outFeatures, dtype, device));
        RegisterComponents();
    }

    /// <summary>A projection over existing weight and bias tensors (views into a <see cref="FusedProjection"/>'s buffer).</summary>
    internal Linear(Tensor weight, Tensor? bias) : base(nameof(Linear))
    {
        this.weight = new Parameter(weight);
        if (bias is not null) this.bias = new Parameter(bias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = nn.functional.linear(x, weight, bias);
        return Lora is { Enabled: true } ? Lora.AddTo(y, x, training) : y;
    }

    /// <summary>Attaches a LoRA branch, or detaches it with null; A and B become this module's <c>lora_A</c> / <c>lora_B</c> children.</summary>
    internal void SetLora(LoraBranch? lora)
    {
        if (Lora is not null)
        {
            _internal_submodules.Remove("lora_A");
            _internal_submodules.Remove("lora_B");
        }
        Lora = lora;
        if (lora is null) return;
        register_module("lora_A", lora.lora_A);
        register_module("lora_B", lora.lora_B);
    }
}
