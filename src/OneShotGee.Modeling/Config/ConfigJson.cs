using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;

namespace OneShotGee.Modeling.Config;

/// <summary>Maps config.json to <see cref="ModelConfig"/> and back, rejecting options this runtime does not implement.</summary>
static class ConfigJson
{
    public static ModelConfig Read(JsonObject root, string source)
    {
        var architecture = ReadArchitecture(root, source);
        var isQwen2 = architecture == ModelConfig.Qwen2Architecture;

        var hiddenAct = String(root, "hidden_act", source) ?? "silu";
        if (hiddenAct != "silu")
            throw new InvalidInputException($"{source}: hidden_act \"{hiddenAct}\" is not supported (only \"silu\")");
        if (isQwen2 && Bool(root, "use_sliding_window", source) == true)
            throw new InvalidInputException($"{source}: use_sliding_window=true is not supported (sliding-window attention)");

        var hidden = Int(root, "hidden_size", source) ?? throw Missing("hidden_size", source);
        var heads = Int(root, "num_attention_heads", source) ?? throw Missing("num_attention_heads", source);
        if (heads > 0 && root["head_dim"] is null && hidden % heads != 0)
            throw new InvalidInputException($"{source}: hidden_size ({hidden}) is not divisible by num_attention_heads ({heads})");
        var attentionBias = Bool(root, "attention_bias", source) ?? false;

        var config = new ModelConfig
        {
            Architecture = architecture,
            VocabSize = Int(root, "vocab_size", source) ?? throw Missing("vocab_size", source),
            HiddenSize = hidden,
            IntermediateSize = Int(root, "intermediate_size", source) ?? throw Missing("intermediate_size", source),
            NumHiddenLayers = Int(root, "num_hidden_layers", source) ?? throw Missing("num_hidden_layers", source),
            NumAttentionHeads = heads,
            NumKeyValueHeads = Int(root, "num_key_value_heads", source) ?? heads,
            HeadDim = Int(root, "head_dim", source) ?? (heads > 0 ? hidden / heads : 0),
            RmsNormEps = Double(root, "rms_norm_eps", source) ?? 1e-6,
            RopeTheta = Double(root, "rope_theta", source) ?? 10000.0,
            RopeScaling = ReadRopeScaling(root["rope_scaling"], source),
            QkvBias = isQwen2 || attentionBias, // HF Qwen2Attention: q/k/v always biased, o_proj never
            OutputBias = !isQwen2 && attentionBias,
            MlpBias = Bool(root, "mlp_bias", source) ?? false,
            TieWordEmbeddings = Bool(root, "tie_word_embeddings", source) ?? false,
            MaxPositionEmbeddings = Int(root, "max_position_embeddings", source) ?? 2048,
            InitializerRange = Double(root, "initializer_range", source) ?? 0.02,
            BosTokenId = Int(root, "bos_token_id", source),
            EosTokenIds = ReadIds(root["eos_token_id"], "eos_token_id", source),
            TorchDtype = String(root, "torch_dtype", source),
            Json = (JsonObject)root.DeepClone(),
        };
        config.Validate(source);
        return config;
    }

    public static JsonObject Write(ModelConfig c)
    {
        var json = (JsonObject)c.Json.DeepClone();
        var isQwen2 = c.Architecture == ModelConfig.Qwen2Architecture;
        json["architectures"] = new JsonArray(c.Architecture);
        json["model_type"] = isQwen2 ? "qwen2" : "llama";
        json["vocab_size"] = c.VocabSize;
        json["hidden_size"] = c.HiddenSize;
        json["intermediate_size"] = c.IntermediateSize;
        json["num_hidden_layers"] = c.NumHiddenLayers;
        json["num_attention_heads"] = c.NumAttentionHeads;
        json["num_key_value_heads"] = c.NumKeyValueHeads;
        if (json.ContainsKey("head_dim") || c.HeadDim * c.NumAttentionHeads != c.HiddenSize) json["head_dim"] = c.HeadDim;
        json["hidden_act"] = "silu";
        json["rms_norm_eps"] = c.RmsNormEps;
        json["rope_theta"] = c.RopeTheta;
        if (ReadRopeScaling(json["rope_scaling"], "config") != c.RopeScaling) json["rope_scaling"] = WriteRopeScaling(c.RopeScaling);
        if (!isQwen2) json["attention_bias"] = c.QkvBias;
        json["mlp_bias"] = c.MlpBias;
        json["tie_word_embeddings"] = c.TieWordEmbeddings;
        json["max_position_embeddings"] = c.MaxPositionEmbeddings;
        json["initializer_range"] = c.InitializerRange;
        if (c.BosTokenId is { } bos) json["bos_token_id"] = bos;
        if (c.EosTokenIds.Count == 1) json["eos_token_id"] = c.EosTokenIds[0];
        else if (c.EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray([.. c.EosTokenIds.Select(id => (JsonNode)id)]);
        if (c.TorchDtype is { } dtype) json["torch_dtype"] = dtype;
        return json;
    }

    static string ReadArchitecture(JsonObject root, string source)
    {
        string[] supported = [ModelConfig.LlamaArchitecture, ModelConfig.Qwen2Architecture];
        if (root["architectures"] is JsonArray { Count: > 0 } names)
        {
            var name = names[0]?.GetValue<string>() ?? "";
            return supported.Contains(name) ? name : throw new InvalidInputException(
                $"{source}: architecture \"{name}\" is not supported (supported: {string.Join(", ", supported)})");
        }
        return String(root, "model_type", source) switch
        {
            "llama" => ModelConfig.LlamaArchitecture,
            "qwen2" => ModelConfig.Qwen2Architecture,
            var type => throw new InvalidInputException(
                $"{source}: no \"architectures\" and model_type \"{type}\" is not supported (llama, qwen2)"),
        };
    }

    static RopeScaling? ReadRopeScaling(JsonNode? node, string source)
    {
        if (node is null) return null;
        if (node is not JsonObject scaling) throw new InvalidInputException($"{source}: rope_scaling must be an object or null");
        var type = String(scaling, "rope_type", source) ?? String(scaling, "type", source) ?? "default";
        double Factor() => Double(scaling, "factor", source) is { } f && f > 0 ? f
            : throw new InvalidInputException($"{source}: rope_scaling.factor must be a positive number for type \"{type}\"");
        return type switch
        {
            "default" => null,
            "linear" => new RopeScaling("linear", Factor()),
            "llama3" => new RopeScaling("llama3", Factor(),
                Double(scaling, "low_freq_factor", source) ?? 1.0,
                Double(scaling, "high_freq_factor", source) ?? 4.0,
                Int(scaling, "original_max_position_embeddings", source) ?? 8192),
            _ => throw new InvalidInputException(
                $"{source}: rope_scaling type \"{type}\" is not supported (supported: linear, llama3)"),
        };
    }

    static JsonNode? WriteRopeScaling(RopeScaling? s) => s switch
    {
        null => null,
        { Type: "linear" } => new JsonObject { ["rope_type"] = "linear", ["factor"] = s.Factor },
        _ => new JsonObject
        {
            ["rope_type"] = s.Type, ["factor"] = s.Factor, ["low_freq_factor"] = s.LowFreqFactor,
            ["high_freq_factor"] = s.HighFreqFactor, ["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings,
        },
    };

    static IReadOnlyList<int> ReadIds(JsonNode? node, string name, string source) => node switch
    {
        null => [],
        JsonArray items => [.. items.Select(item => item is null ? throw BadType(name, "an integer list", source) : Value<int>(item, name, source))],
        _ => [Value<int>(node, name, source)],
    };

    static int? Int(JsonObject o, string name, string source) => o[name] is { } n ? Value<int>(n, name, source) : null;
    static double? Double(JsonObject o, string name, string source) => o[name] is { } n ? Value<double>(n, name, source) : null;
    static bool? Bool(JsonObject o, string name, string source) => o[name] is { } n ? Value<bool>(n, name, source) : null;
    static string? String(JsonObject o, string name, string source) => o[name] is { } n ? Value<string>(n, name, source) : null;

    static T Value<T>(JsonNode node, string name, string source)
    {
        try { return node.GetValue<T>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        { throw BadType(name, typeof(T).Name, source); }
    }

    static InvalidInputException Missing(string name, string source) => new($"{source}: required field \"{name}\" is missing");
    static InvalidInputException BadType(string name, string expected, string source) =>
        new($"{source}: field \"{name}\" must be {expected}");
}
