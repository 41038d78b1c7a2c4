using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Llama;

namespace OneShotGee.Benchmarks;

/// <summary>
/// The randomly initialised model of the generation and training benchmarks: the Qwen2 layout (q/k/v bias,
/// grouped-query attention, tied embeddings, as Qwen2-0.5B) at a shape small enough that the recompute-everything
/// generation baseline (quadratic in the output length) finishes 8 × 512 tokens in minutes on one shared CPU core.
/// </summary>
static class BenchModel
{
    const string ConfigJson = """
        {
          "architectures": ["Qwen2ForCausalLM"],
          "hidden_size": 128, "intermediate_size": 344, "num_hidden_layers": 4,
          "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 4096,
          "max_position_embeddings": 2048, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6,
          "tie_word_embeddings": true
        }
        """;

    /// <summary>Names of the shapes: <c>small</c> (above) and <c>mid</c>, hidden 512, 8 layers, 8 heads / 4 KV heads,
    /// intermediate 1376, vocab 8192 (issue 16: where the training path stops being bound by per-op overhead).</summary>
    public const string Small = "small", Mid = "mid";

    static ModelConfig Config(string size = Small)
    {
        var small = ModelConfig.Parse(ConfigJson, "bench model config");
        return size == Mid
            ? small with { HiddenSize = 512, IntermediateSize = 1376, NumHiddenLayers = 8, NumAttentionHeads = 8, NumKeyValueHeads = 4, HeadDim = 64, VocabSize = 8192 }
            : small;
    }

    public static CausalLM Create(string size = Small)
    {
        // libtorch's thread count is left as in a normal run (OMP_NUM_THREADS, else one per core); log what it is.
        Console.WriteLine($"// torch threads: {TorchSharp.torch.get_num_threads()}");
        return CausalLM.CreateRandom(Config(size), seed: 0);
    }

    /// <summary>
    /// Parameters that take part in a matrix product per token: all but the embedding table, which is a lookup,
    /// plus the table again when it is tied to the output projection.
    /// </summary>
    public static long MatmulParameters(string size = Small)
    {
        using var lm = CausalLM.CreateEmpty(Config(size));
        var table = lm.model.embed_tokens.weight.numel();
        var all = lm.parameters().Sum(p => p.numel());
        return all - table + (lm.lm_head is null ? table : 0);
    }
}
