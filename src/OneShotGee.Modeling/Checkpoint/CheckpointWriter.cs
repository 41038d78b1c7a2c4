using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Safetensors;

namespace OneShotGee.Modeling.Checkpoint;

/// <summary>
/// Saves a model as a Hugging Face checkpoint directory: config.json, (sharded) safetensors, generation_config.json
/// and the tokenizer files. Everything is written to a sibling temporary directory first, then renamed into place.
/// </summary>
public static class CheckpointWriter
{
    public static readonly string[] TokenizerFiles =
    [
        "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
        "vocab.json", "merges.txt", "added_tokens.json", "chat_template.jinja",
    ];

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Save(CausalLM lm, string directory, SaveOptions options) =>
        Save(lm, directory, options, [.. lm.named_parameters().Select(p => (p.name, (TorchSharp.torch.Tensor)p.parameter))], transform: null);

    /// <summary>Saves <paramref name="tensors"/> as <paramref name="lm"/>'s weights, each passed through
    /// <paramref name="transform"/> as it is written (see <see cref="SafetensorsWriter.Write"/>).</summary>
    internal static void Save(CausalLM lm, string directory, SaveOptions options,
        IReadOnlyList<(string Name, TorchSharp.torch.Tensor Tensor)> tensors, Func<string, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>? transform)
    {
        if (options.MaxShardBytes <= 0) throw new InvalidInputException($"max shard size must be positive, got {options.MaxShardBytes}");
        var target = Path.GetFullPath(directory);
        var storage = options.StorageDtype ?? lm.Dtype;
        var staging = $"{target}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            var config = lm.Config.ToJson();
            config["torch_dtype"] = SafetensorsDtype.TorchDtypeName(storage);
            File.WriteAllText(Path.Combine(staging, "config.json"), config.ToJsonString(Indented));

            SafetensorsWriter.WriteSharded(staging, tensors, storage, options.MaxShardBytes, transform);

            var source = options.TokenizerSource ?? lm.SourceDirectory;
            if (source is not null)
                foreach (var file in TokenizerFiles.Append("generation_config.json"))
                    if (File.Exists(Path.Combine(source, file))) File.Copy(Path.Combine(source, file), Path.Combine(staging, file));
            if (!File.Exists(Path.Combine(staging, "generation_config.json")))
                File.WriteAllText(Path.Combine(staging, "generation_config.json"), GenerationConfig(lm).ToJsonString(Indented));

            ReplaceDirectory(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    static JsonObject GenerationConfig(CausalLM lm)
    {
        var json = new JsonObject();
        if (lm.Config.BosTokenId is { } bos) json["bos_token_id"] = bos;
        if (lm.Config.EosTokenIds.Count == 1) json["eos_token_id"] = lm.Config.EosTokenIds[0];
        else if (lm.Config.EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray([.. lm.Config.EosTokenIds.Select(id => (JsonNode)id)]);
        return json;
    }

    internal static void ReplaceDirectory(string staging, string target)
    {
        if (!Directory.Exists(target)) { Directory.Move(staging, target); return; }
        var old = $"{target}.old-{Guid.NewGuid():N}";
        Directory.Move(target, old);
        Directory.Move(staging, target);
        Directory.Delete(old, recursive: true);
    }
}
