using OneShotGee.Core;
using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using OneShotGee.Modeling.Runtime;
using OneShotGee.Modeling.Safetensors;
using OneShotGee.Modeling.Tokenization;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Loading;

/// <summary>
/// What a model path names: a Hugging Face checkpoint directory, or a PEFT adapter directory (adapter_config.json)
/// whose base model is <c>base_model_name_or_path</c> (relative paths against the adapter directory) unless one is
/// given. An adapter is applied unmerged over its base, and the tokenizer is the base's. Every command that loads a
/// model and the evaluator resolve paths here.
/// </summary>
/// <param name="Path">The directory as given (full path).</param>
/// <param name="BaseDirectory">The full model: <see cref="Path"/> itself, or the adapter's base.</param>
/// <param name="AdapterDirectory">The adapter directory, or null for a full model.</param>
public sealed record ModelSource(string Path, string BaseDirectory, string? AdapterDirectory)
{
    public bool IsAdapter => AdapterDirectory is not null;

    /// <param name="baseModel">The base of an adapter (overrides its config); an error for a full model.</param>
    public static ModelSource Resolve(string path, string? baseModel = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new InvalidInputException($"model directory '{full}' does not exist");
        if (!LoraAdapter.IsAdapterDirectory(full))
        {
            if (baseModel is not null)
                throw new InvalidInputException($"--base-model applies to a LoRA adapter directory, but '{full}' has no {PeftAdapterFiles.ConfigFileName}");
            return new ModelSource(full, full, null);
        }
        var recorded = PeftAdapterFiles.ReadBaseModel(full);
        var from = baseModel is null ? "base_model_name_or_path" : "--base-model";
        var basePath = baseModel is not null ? System.IO.Path.GetFullPath(baseModel)
            : recorded is not null ? System.IO.Path.GetFullPath(recorded, full)
            : throw new InvalidInputException($"adapter '{full}' records no base_model_name_or_path; pass --base-model DIR");
        if (!Directory.Exists(basePath))
            throw new InvalidInputException($"adapter '{full}': base model '{basePath}' ({from}) does not exist; pass --base-model DIR");
        if (LoraAdapter.IsAdapterDirectory(basePath))
            throw new InvalidInputException($"adapter '{full}': base model '{basePath}' ({from}) is itself an adapter, not a full model; " +
                $"write its merge with `oneshotgee merge --adapter {basePath} --out DIR` and pass --base-model DIR");
        return new ModelSource(full, basePath, full);
    }

    /// <summary>Checks everything but the weights' values: config.json and its architecture, the tokenizer, the
    /// safetensors files, and the adapter's config and weights file. Returns this source.</summary>
    public ModelSource Validated()
    {
        var config = System.IO.Path.Combine(BaseDirectory, "config.json");
        if (!File.Exists(config)) throw new InvalidInputException($"model directory '{BaseDirectory}' has no config.json");
        _ = ModelConfig.Load(config);
        _ = LoadTokenizer();
        using (SafetensorsCheckpoint.Open(BaseDirectory)) { }
        if (AdapterDirectory is not null) PeftAdapterFiles.Validate(AdapterDirectory);
        return this;
    }

    public ModelTokenizer LoadTokenizer() => ModelTokenizer.FromDirectory(BaseDirectory);

    /// <summary>The base model with the adapter, if any, attached unmerged and in eval mode (no adapter dropout).</summary>
    /// <param name="dtype">null: <see cref="ComputeTarget.AutoDtype"/> of the stored weights on <paramref name="device"/>.</param>
    public CausalLM Load(ScalarType? dtype = null, Device? device = null)
    {
        var config = System.IO.Path.Combine(BaseDirectory, "config.json");
        if (!File.Exists(config)) throw new InvalidInputException($"model directory '{BaseDirectory}' has no config.json");
        var lm = CausalLM.FromPretrained(BaseDirectory, dtype ?? ComputeTarget.AutoDtype(device ?? CPU, StoredDtype()), device);
        try
        {
            if (AdapterDirectory is not null)
            {
                LoraAdapter.Load(lm, AdapterDirectory);
                lm.eval();
            }
            return lm;
        }
        catch
        {
            lm.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The base with the adapter, if any, folded into its weights: a plain model to train from. Each adapted weight is
    /// W as stored, read in float32, plus (alpha / r)·B·A, rounded once to <paramref name="dtype"/>, so a bfloat16 run
    /// from a float32 base never rounds W before the update is added.
    /// </summary>
    public CausalLM LoadMerged(ScalarType dtype, Device? device = null)
    {
        var lm = Load(dtype, device);
        if (AdapterDirectory is null) return lm;
        try
        {
            using var checkpoint = SafetensorsCheckpoint.Open(BaseDirectory);
            LoraAdapter.Merge(lm, checkpoint.Read);
            return lm;
        }
        catch
        {
            lm.Dispose();
            throw;
        }
    }

    /// <summary>The dtype the base model's weights are stored in (float32 when they mix dtypes), so it loads without rounding.</summary>
    public ScalarType StoredDtype()
    {
        using var checkpoint = SafetensorsCheckpoint.Open(BaseDirectory);
        var dtypes = checkpoint.Entries.Values.Select(e => SafetensorsDtype.ToScalarType(e.Dtype, e.Name)).Distinct().ToList();
        return dtypes.Count == 1 ? dtypes[0] : ScalarType.Float32;
    }
}
