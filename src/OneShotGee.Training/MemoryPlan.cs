using System.Globalization;
using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Lora;

namespace OneShotGee.Training;

/// <summary>
/// What a training run will hold in device memory, estimated from config.json before any weight is loaded. Weights in
/// the model dtype; for the trained parameters (all of them, or the float32 LoRA adapters) gradients in their dtype,
/// AdamW's two float32 moments and, for a half-precision full fine-tuning, float32 master weights; the KV cache of
/// sampling one micro-batch; and the activations one micro-batch keeps for backward (all layers, or with gradient
/// checkpointing one layer plus each layer's input), with the float32 logits, log-softmax and their gradient that the
/// entropy over the whole vocabulary needs. With a KL anchor (<see cref="TrainOptions.KlCoef"/> > 0) a full fine-tuning
/// also holds the frozen starting weights (<see cref="ReferencePolicy"/>; LoRA switches its adapters off instead), and
/// every run the reference's log-softmax and the KL's product over the vocabulary. An estimate: allocator slack and
/// libtorch workspaces come on top.
/// </summary>
public sealed record MemoryPlan(
    long Parameters, long TrainedParameters, long Weights, long Gradients, long OptimizerState, long MasterWeights,
    long ReferenceWeights, long KvCache, long Activations, int SequenceTokens)
{
    /// <summary>Bytes per weight of the run's dtype: the one asked for, else the device's default (bfloat16 on CUDA).</summary>
    public static int BytesPerValue(TrainOptions options) => options.Dtype switch
    {
        "float32" => 4,
        "bfloat16" or "float16" => 2,
        _ => options.Device.StartsWith("cuda", StringComparison.Ordinal) || options.Device == "auto" && TorchSharp.torch.cuda.is_available() ? 2 : 4,
    };

    /// <summary>Tokens assumed per prompt when the data is not read yet (a GSM8K question in a chat template is ~150).</summary>
    public const int AssumedPromptTokens = 256;

    public long Total => Weights + Gradients + OptimizerState + MasterWeights + ReferenceWeights + KvCache + Activations;

    public static MemoryPlan Estimate(ModelConfig config, TrainOptions options, int bytesPerValue, int promptTokens = AssumedPromptTokens)
    {
        var parameters = ParameterCount(config);
        var lora = options.Lora is { } l ? LoraParameterCount(config, l) : 0;
        var trained = options.Lora is null ? parameters : lora;
        var (gradientBytes, masterBytes) = options.Lora is null ? (bytesPerValue, bytesPerValue < 4 ? 4 : 0) : (4, 0);
        var sequence = promptTokens + options.MaxNewTokens;
        var tokens = (long)options.MicroBatch * sequence;
        var kvHeads = (long)config.NumKeyValueHeads * config.HeadDim;
        var kvCache = 2L * config.NumHiddenLayers * kvHeads * tokens * bytesPerValue;
        // Per layer and token, backward keeps the block's inputs, q/k/v, attention output, the MLP's gate, up and
        // product, and the norms: about 8 hidden-sized and 3 intermediate-sized values.
        var perLayer = tokens * (8L * config.HiddenSize + 3L * config.IntermediateSize) * bytesPerValue;
        var layers = options.GradientCheckpointing ? perLayer + tokens * config.HiddenSize * bytesPerValue * config.NumHiddenLayers
            : perLayer * config.NumHiddenLayers;
        var anchored = options.KlCoef > 0;
        var logits = (anchored ? 5L : 3L) * tokens * config.VocabSize * 4;
        return new(parameters, trained, parameters * bytesPerValue, trained * gradientBytes, trained * 8,
            options.Lora is null ? parameters * masterBytes : 0, anchored && options.Lora is null ? parameters * bytesPerValue : 0,
            kvCache, layers + logits, sequence);
    }

    /// <summary>Embeddings, every decoder layer's projections, biases and norms, the final norm and an untied head.</summary>
    public static long ParameterCount(ModelConfig c)
    {
        long h = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        var attention = h * q + 2 * h * kv + q * h + (c.QkvBias ? q + 2 * kv : 0) + (c.OutputBias ? h : 0);
        var mlp = 3 * h * c.IntermediateSize + (c.MlpBias ? 2L * c.IntermediateSize + h : 0);
        var layer = attention + mlp + 2 * h;
        var embeddings = (long)c.VocabSize * h * (c.TieWordEmbeddings ? 1 : 2);
        return embeddings + c.NumHiddenLayers * layer + h;
    }

    /// <summary>r·(in + out) for every targeted projection of every layer.</summary>
    public static long LoraParameterCount(ModelConfig c, LoraOptions lora)
    {
        long h = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim, i = c.IntermediateSize;
        var shapes = new Dictionary<string, (long In, long Out)>
        {
            ["q_proj"] = (h, q), ["k_proj"] = (h, kv), ["v_proj"] = (h, kv), ["o_proj"] = (q, h),
            ["gate_proj"] = (h, i), ["up_proj"] = (h, i), ["down_proj"] = (i, h),
        };
        return c.NumHiddenLayers * lora.Targets.Sum(t => lora.Rank * (shapes[t].In + shapes[t].Out));
    }

    /// <summary>The plan as lines for a person, each part in GB (10^9 bytes).</summary>
    public string Describe()
    {
        string Gb(long bytes) => (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB";
        return string.Join(Environment.NewLine,
            $"parameters       {Parameters / 1e9:0.00} B ({TrainedParameters / 1e6:0.#} M trained)",
            $"weights          {Gb(Weights)}",
            $"gradients        {Gb(Gradients)}",
            $"optimizer state  {Gb(OptimizerState)} (AdamW moments, float32)",
            $"master weights   {Gb(MasterWeights)}",
            $"reference        {Gb(ReferenceWeights)} (KL anchor: the frozen starting weights of a full fine-tuning)",
            $"KV cache         {Gb(KvCache)} (one micro-batch of {SequenceTokens} tokens)",
            $"activations      {Gb(Activations)}",
            $"total            {Gb(Total)} (estimate; allocator slack comes on top)");
    }

    /// <summary>Null when the plan fits <paramref name="availableBytes"/>; otherwise why not and what would.</summary>
    public string? DoesNotFit(long availableBytes, TrainOptions options, string device)
    {
        if (Total <= availableBytes) return null;
        var suggestions = new List<string>();
        if (options.Lora is null) suggestions.Add("LoRA (--lora-rank 16) trains a fraction of the parameters");
        if (!options.GradientCheckpointing) suggestions.Add("--gradient-checkpointing keeps one layer's activations");
        if (options.MicroBatch > 2) suggestions.Add("a smaller --micro-batch");
        return string.Create(CultureInfo.InvariantCulture,
            $"training needs about {Total / 1e9:0.0} GB but {device} has {availableBytes / 1e9:0.0} GB available; try {string.Join(", or ", suggestions.DefaultIfEmpty("a smaller model"))} (train --plan shows the estimate)");
    }
}
