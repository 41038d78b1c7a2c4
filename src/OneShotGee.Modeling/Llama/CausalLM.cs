using OneShotGee.Modeling.Checkpoint;
using OneShotGee.Modeling.Config;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// A Llama or Qwen2 causal language model with Hugging Face parameter names (<c>model.*</c>, <c>lm_head.weight</c>).
/// With tied embeddings there is no <c>lm_head</c>: logits use <c>model.embed_tokens.weight</c>.
/// </summary>
public sealed class CausalLM : nn.Module<Tensor, Tensor, KvCache?, Tensor>
{
    public readonly DecoderModel model;
    public readonly Linear? lm_head;

    public ModelConfig Config { get; }
    public ScalarType Dtype { get; }
    public Device Device { get; }
    /// <summary>The checkpoint directory this model was loaded from (its tokenizer files are copied on save).</summary>
    public string? SourceDirectory { get; internal set; }

    CausalLM(ModelConfig config, ScalarType dtype, Device device) : base(nameof(CausalLM))
    {
        (Config, Dtype, Device) = (config, dtype, device);
        model = new DecoderModel(config, dtype, device);
        if (!config.TieWordEmbeddings) lm_head = new Linear(config.HiddenSize, config.VocabSize, false, dtype, device);
        RegisterComponents();
    }

    /// <summary>Logits [b, s, vocab] for input ids [b, s] and a 0/1 padding mask [b, cached + s] (left padding).</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return Head(model.call(inputIds, attentionMask, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Logits [b, n, vocab] of the last <paramref name="positions"/> positions only: at a 152k vocabulary the head is
    /// most of a small model's work, and decoding needs the last position's, an entropy the response positions'.
    /// </summary>
    public Tensor LastLogits(Tensor inputIds, Tensor attentionMask, long positions, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        var hidden = model.call(inputIds, attentionMask, cache);
        return Head(hidden.narrow(1, hidden.shape[1] - positions, positions)).MoveToOuterDisposeScope();
    }

    Tensor Head(Tensor hidden) => lm_head is null ? nn.functional.linear(hidden, model.embed_tokens.weight) : lm_head.call(hidden);

    /// <summary>An empty cache; <paramref name="capacity"/> (positions, e.g. prompt + max_new_tokens) avoids regrowing it.</summary>
    public KvCache NewCache(long capacity = 0) => new(Config.NumHiddenLayers, capacity);

    /// <summary>Loads config.json and the safetensors weights of a Hugging Face checkpoint directory.</summary>
    /// <param name="dtype">Runtime dtype; default float32 on CPU, bfloat16 on CUDA.</param>
    public static CausalLM FromPretrained(string directory, ScalarType? dtype = null, Device? device = null)
    {
        var config = ModelConfig.Load(Path.Combine(directory, "config.json"));
        var lm = CreateEmpty(config, dtype, device);
        try { CheckpointLoader.LoadWeights(lm, directory); }
        catch { lm.Dispose(); throw; }
        lm.SourceDirectory = Path.GetFullPath(directory);
        return lm;
    }

    /// <summary>A freshly initialised model: weights ~ N(0, initializer_range), biases 0, norms 1 (HF _init_weights).</summary>
    public static CausalLM CreateRandom(ModelConfig config, long seed, ScalarType? dtype = null, Device? device = null)
    {
        var lm = CreateEmpty(config, dtype, device);
        using var generator = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var (name, p) in lm.named_parameters())
        {
            if (name.EndsWith("norm.weight")) p.fill_(1.0);
            else if (name.EndsWith(".bias")) p.zero_();
            else
            {
                using var scope = NewDisposeScope();
                p.copy_(randn(p.shape, ScalarType.Float32, CPU, generator: generator).mul_(config.InitializerRange));
            }
        }
        return lm;
    }

    /// <summary>A model with uninitialised weights (to be loaded).</summary>
    public static CausalLM CreateEmpty(ModelConfig config, ScalarType? dtype = null, Device? device = null)
    {
        device ??= CPU;
        dtype ??= Runtime.ComputeTarget.DefaultDtype(device);
        var lm = new CausalLM(config, dtype.Value, device);
        // The model outlives any dispose scope that is open while it is built.
        foreach (var p in lm.parameters()) p.DetachFromDisposeScope();
        return lm;
    }

    /// <summary>Writes a Hugging Face checkpoint directory (see <see cref="CheckpointWriter"/>).</summary>
    public void SavePretrained(string directory, SaveOptions? options = null) =>
        CheckpointWriter.Save(this, directory, options ?? new SaveOptions());
}
