using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;

namespace OneShotGee.Modeling.Config;

/// <summary>
/// The architecture hyper-parameters of a Llama or Qwen2 causal LM, bound to Hugging Face <c>config.json</c>.
/// <see cref="Json"/> keeps the whole original document so a save writes back the fields we do not model.
/// </summary>
public sealed record ModelConfig
{
    public const string LlamaArchitecture = "LlamaForCausalLM";
    public const string Qwen2Architecture = "Qwen2ForCausalLM";

    public string Architecture { get; init; } = LlamaArchitecture;
    public int VocabSize { get; init; }
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int NumKeyValueHeads { get; init; }
    public int HeadDim { get; init; }
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    /// <summary>Bias on q/k/v projections (always for Qwen2; <c>attention_bias</c> for Llama).</summary>
    public bool QkvBias { get; init; }
    /// <summary>Bias on o_proj (<c>attention_bias</c> for Llama; never for Qwen2).</summary>
    public bool OutputBias { get; init; }
    public bool MlpBias { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    /// <summary>Standard deviation of the normal init of linear and embedding weights (HF default 0.02).</summary>
    public double InitializerRange { get; init; } = 0.02;
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// <summary>config.json <c>torch_dtype</c> (e.g. "bfloat16"), the storage dtype of the checkpoint.</summary>
    public string? TorchDtype { get; init; }
    /// <summary>The original config.json (fields we do not model survive a save).</summary>
    public JsonObject Json { get; init; } = [];

    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"config file not found: {path}");
        try { return Parse(File.ReadAllText(path), path); }
        catch (JsonException e) { throw new InvalidInputException($"{path}: not valid JSON: {e.Message}", e); }
    }

    public static ModelConfig Parse(string json, string source = "config.json")
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new InvalidInputException($"{source}: not a JSON object");
        return ConfigJson.Read(root, source);
    }

    /// <summary>The config.json document: the original fields, with the modelled ones set from this record.</summary>
    public JsonObject ToJson() => ConfigJson.Write(this);

    internal void Validate(string source)
    {
        void Require(bool ok, string message) { if (!ok) throw new InvalidInputException($"{source}: {message}"); }
        Require(VocabSize > 0, "vocab_size must be positive");
        Require(HiddenSize > 0, "hidden_size must be positive");
        Require(IntermediateSize > 0, "intermediate_size must be positive");
        Require(NumHiddenLayers > 0, "num_hidden_layers must be positive");
        Require(NumAttentionHeads > 0, "num_attention_heads must be positive");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0,
            $"num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads})");
        Require(HeadDim > 0 && HeadDim % 2 == 0, $"head_dim ({HeadDim}) must be positive and even");
        Require(RmsNormEps > 0, "rms_norm_eps must be positive");
        Require(RopeTheta > 0, "rope_theta must be positive");
    }
}
