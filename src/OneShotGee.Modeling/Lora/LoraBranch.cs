using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Lora;

/// <summary>
/// The low-rank update on one projection: (alpha / r)·B(A(dropout(x))), A [r, in], B [out, r], both float32.
/// A <see cref="Linear"/> registers A and B as its <c>lora_A</c> and <c>lora_B</c> children (PEFT's names).
/// </summary>
public sealed class LoraBranch
{
    public Linear lora_A { get; }
    public Linear lora_B { get; }
    public LoraOptions Options { get; }

    /// <summary>False inside <see cref="LoraAdapter.Disable"/>: the projection computes its base output only.</summary>
    public bool Enabled { get; internal set; } = true;

    /// <summary>Where dropout draws its masks (<see cref="LoraAdapter.SeedDropout"/>); null: torch's global generator.</summary>
    internal Generator? DropoutGenerator { get; set; }

    /// <summary>A ~ kaiming-uniform(a = √5), i.e. U(±1/√in), and B = 0, so the update starts at zero (PEFT's default init).</summary>
    public LoraBranch(long inFeatures, long outFeatures, LoraOptions options, Device device, Generator generator)
    {
        Options = options;
        lora_A = new Linear(inFeatures, options.Rank, hasBias: false, ScalarType.Float32, device);
        lora_B = new Linear(options.Rank, outFeatures, hasBias: false, ScalarType.Float32, device);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var bound = 1.0 / Math.Sqrt(inFeatures); // gain √(2 / (1 + 5)) · √(3 / fan_in)
        lora_A.weight.copy_(empty(lora_A.weight.shape, ScalarType.Float32, CPU).uniform_(-bound, bound, generator));
        lora_B.weight.zero_();
        lora_A.weight.DetachFromDisposeScope();
        lora_B.weight.DetachFromDisposeScope();
    }

    /// <summary>
    /// y + update(x). The update runs in float32 whatever the base dtype; the sum is formed in float32 and rounded
    /// once to y's dtype, as PEFT does, so a bfloat16 base loses no adapter precision beyond that final rounding.
    /// </summary>
    public Tensor AddTo(Tensor y, Tensor x, bool training)
    {
        using var scope = NewDisposeScope();
        var h = x.to(ScalarType.Float32);
        if (training && Options.Dropout > 0) h = Dropout(h);
        var update = lora_B.call(lora_A.call(h)).mul(Options.Scaling);
        return (y.to(ScalarType.Float32) + update).to(y.dtype).MoveToOuterDisposeScope();
    }

    // Inverted dropout as torch's: keep each input with probability 1 − p and scale the kept ones by 1 / (1 − p).
    Tensor Dropout(Tensor h)
    {
        if (DropoutGenerator is null) return nn.functional.dropout(h, Options.Dropout, training: true);
        var keep = empty_like(h).uniform_(0, 1, DropoutGenerator).ge(Options.Dropout);
        return h.mul(keep).div(1 - Options.Dropout);
    }

    /// <summary>(alpha / r)·B·A [out, in] in float32, the term <see cref="LoraAdapter.Merge"/> folds into W.</summary>
    public Tensor Delta() => lora_B.weight.mm(lora_A.weight).mul_(Options.Scaling);
}
