using OneShotGee.Modeling.Checkpoint;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Lora;

/// <summary>
/// Attaches LoRA adapters to a <see cref="CausalLM"/>, folds them back into its weights, and saves or loads them
/// in the Hugging Face PEFT layout (see <see cref="PeftAdapterFiles"/>).
/// </summary>
public static class LoraAdapter
{
    /// <summary>
    /// Wraps every targeted projection of every decoder layer with a float32 <see cref="LoraBranch"/> and freezes all
    /// other parameters, so the parameters that require grad are exactly the lora_A / lora_B weights.
    /// Apply after moving the model to its device and dtype: <c>Module.to</c> would also convert the adapters.
    /// </summary>
    /// <param name="seed">Seeds the A initialisation (drawn on the CPU, so the same on every device).</param>
    public static void Apply(CausalLM lm, LoraOptions options, long seed)
    {
        if (Branches(lm).Count > 0) throw new InvalidOperationException("the model already has LoRA adapters");
        using var generator = new Generator((ulong)seed, CPU);
        foreach (var p in lm.parameters()) p.requires_grad = false;
        foreach (var (_, linear) in Projections(lm, options.Targets))
            linear.SetLora(new LoraBranch(linear.weight.shape[1], linear.weight.shape[0], options, lm.Device, generator));
    }

    /// <summary>
    /// Writes the merged model, W + (alpha / r)·B·A for every adapted projection, as a plain Hugging Face checkpoint
    /// stored in <paramref name="storageDtype"/>, leaving <paramref name="lm"/> (and its adapters) unchanged. Each merged
    /// weight is computed in float32 from W as it is written, one tensor at a time, so memory grows by one float32 weight,
    /// not a float32 copy of the model. Stored in float32, the update survives whatever W's dtype; stored in bfloat16 an
    /// update smaller than half a bfloat16 ulp of W (typical of a GEE run: lr 2e-5, 50 steps) is rounded away.
    /// Other tensors are stored converted from their dtype (exactly, when widening bfloat16 or float16 to float32).
    /// </summary>
    public static void SaveMerged(CausalLM lm, string directory, ScalarType storageDtype)
    {
        var adapters = Branches(lm).ToDictionary(b => b.Name + ".weight", b => b.Projection.Lora!);
        if (adapters.Count == 0) throw new InvalidOperationException("the model has no LoRA adapters to merge");
        var tensors = lm.named_parameters()
            .Where(p => !p.name.Contains(".lora_A.") && !p.name.Contains(".lora_B."))
            .Select(p => (p.name, (Tensor)p.parameter)).ToList();
        CheckpointWriter.Save(lm, directory, new SaveOptions(StorageDtype: storageDtype), tensors, (name, weight) =>
        {
            if (!adapters.TryGetValue(name, out var lora)) return weight;
            using var noGrad = no_grad();
            return weight.detach().to(ScalarType.Float32) + lora.Delta();
        });
    }

    /// <summary>
    /// In place: W ← W + (alpha / r)·B·A (computed in float32, rounded once to W's dtype, so with a bfloat16 W a small
    /// update is lost: <see cref="SaveMerged"/> keeps it), then removes the adapters and makes
    /// every parameter trainable again: the model is a plain one that <see cref="CausalLM.SavePretrained"/> writes as HF.
    /// </summary>
    /// <param name="storedWeight">W by parameter name as stored (e.g. float32 on disk): the sum starts from it instead of
    /// the model's W, which a load into a narrower dtype has already rounded.</param>
    public static void Merge(CausalLM lm, Func<string, Tensor>? storedWeight = null)
    {
        using var noGrad = no_grad();
        foreach (var (name, linear) in Branches(lm))
        {
            using var scope = NewDisposeScope();
            var lora = linear.Lora!;
            var w = storedWeight?.Invoke(name + ".weight").to(ScalarType.Float32, lm.Device) ?? linear.weight.to(ScalarType.Float32);
            linear.weight.copy_((w + lora.Delta()).to(linear.weight.dtype));
            linear.SetLora(null);
            lora.lora_A.Dispose();
            lora.lora_B.Dispose();
        }
        foreach (var p in lm.parameters()) p.requires_grad = true;
    }

    /// <summary>
    /// Makes LoRA dropout draw from one generator seeded with <paramref name="seed"/>, shared by the adapters in the
    /// order the forward pass calls them: the same seed before the same forward gives the same masks, so a pass can be
    /// repeated exactly (two-pass GEE, resume). Does nothing when no adapter has dropout.
    /// </summary>
    public static void SeedDropout(CausalLM lm, long seed)
    {
        var withDropout = Branches(lm).Select(b => b.Projection.Lora!).Where(l => l.Options.Dropout > 0).ToList();
        if (withDropout.Count == 0) return;
        var previous = withDropout[0].DropoutGenerator;
        var generator = new Generator((ulong)seed, lm.Device);
        foreach (var branch in withDropout) branch.DropoutGenerator = generator;
        previous?.Dispose();
    }

    /// <summary>Whether a forward in training mode would draw dropout masks (an adapter with dropout &gt; 0).</summary>
    public static bool HasDropout(CausalLM lm) => Branches(lm).Any(b => b.Projection.Lora!.Options.Dropout > 0);

    /// <summary>
    /// Switches every adapter off until the returned scope is disposed, so the model computes its base model (PEFT's
    /// <c>disable_adapter()</c>): the KL anchor's reference policy without a second copy of the weights. Adapters off
    /// draw no dropout masks, so a seeded forward pass after the scope draws what it would have without it.
    /// </summary>
    public static IDisposable Disable(CausalLM lm)
    {
        var branches = Branches(lm).Select(b => b.Projection.Lora!).Where(l => l.Enabled).ToList();
        foreach (var branch in branches) branch.Enabled = false;
        return new Reenable(branches);
    }

    sealed class Reenable(IReadOnlyList<LoraBranch> branches) : IDisposable
    {
        public void Dispose()
        {
            foreach (var branch in branches) branch.Enabled = true;
        }
    }

    /// <summary>The projections that carry an adapter, by module name (e.g. <c>model.layers.0.self_attn.q_proj</c>).</summary>
    public static IReadOnlyList<(string Name, Linear Projection)> Branches(CausalLM lm) =>
        [.. lm.named_modules().Where(m => m.module is Linear { Lora: not null }).Select(m => (m.name, (Linear)m.module))];

    /// <summary>Writes <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> as HF PEFT does.</summary>
    /// <param name="baseModelNameOrPath">Recorded in the config; default: the directory the base model was loaded from.</param>
    public static void Save(CausalLM lm, string directory, string? baseModelNameOrPath = null) =>
        PeftAdapterFiles.Save(lm, directory, baseModelNameOrPath ?? lm.SourceDirectory);

    /// <summary>Attaches the adapters saved in a PEFT directory to a base model that has none.</summary>
    public static void Load(CausalLM lm, string directory) => PeftAdapterFiles.Load(lm, directory);

    /// <summary>Whether <paramref name="directory"/> holds a PEFT adapter (adapter_config.json) rather than a full model.</summary>
    public static bool IsAdapterDirectory(string directory) => File.Exists(Path.Combine(directory, PeftAdapterFiles.ConfigFileName));

    /// <summary>The decoder-layer projections whose HF module name ends in one of <paramref name="targets"/>.</summary>
    internal static IReadOnlyList<(string Name, Linear Linear)> Projections(CausalLM lm, IReadOnlyList<string> targets) =>
        [.. lm.named_modules()
            .Where(m => m.module is Linear && m.name.StartsWith("model.layers.") && targets.Contains(m.name[(m.name.LastIndexOf('.') + 1)..]))
            .Select(m => (m.name, (Linear)m.module))];
}
