using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Modeling.Checkpoint;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Safetensors;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Lora;

/// <summary>
/// The Hugging Face PEFT adapter directory: <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> holding
/// <c>base_model.model.{module}.lora_A.weight</c> [r, in] and <c>….lora_B.weight</c> [out, r] (PEFT drops the
/// adapter name, "default", from saved keys), so <c>PeftModel.from_pretrained</c> loads what we write and vice versa.
/// </summary>
static class PeftAdapterFiles
{
    public const string ConfigFileName = "adapter_config.json";
    public const string WeightsFileName = "adapter_model.safetensors";
    const string KeyPrefix = "base_model.model.";

    public static void Save(CausalLM lm, string directory, string? baseModelNameOrPath)
    {
        var branches = LoraAdapter.Branches(lm);
        if (branches.Count == 0) throw new InvalidOperationException("the model has no LoRA adapters to save");
        var options = branches[0].Projection.Lora!.Options;
        var target = Path.GetFullPath(directory);
        var staging = $"{target}.tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllText(Path.Combine(staging, ConfigFileName), Config(options, baseModelNameOrPath).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            var tensors = branches.SelectMany(b => new (string, Tensor)[]
            {
                (Key(b.Name, "lora_A"), b.Projection.Lora!.lora_A.weight),
                (Key(b.Name, "lora_B"), b.Projection.Lora!.lora_B.weight),
            }).ToList();
            SafetensorsWriter.Write(Path.Combine(staging, WeightsFileName), tensors, ScalarType.Float32);
            CheckpointWriter.ReplaceDirectory(staging, target);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>Validates the whole adapter against the model first, so a bad directory leaves the model untouched.</summary>
    public static void Load(CausalLM lm, string directory)
    {
        if (LoraAdapter.Branches(lm).Count > 0) throw new InvalidOperationException("the model already has LoRA adapters");
        var options = ReadConfig(Path.Combine(directory, ConfigFileName));
        var weightsPath = Path.Combine(directory, WeightsFileName);
        using var file = SafetensorsFile.Open(weightsPath);
        var projections = LoraAdapter.Projections(lm, options.Targets);
        var expected = projections.SelectMany(p => new[]
        {
            (Key: Key(p.Name, "lora_A"), Shape: new[] { options.Rank, p.Linear.weight.shape[1] }),
            (Key: Key(p.Name, "lora_B"), Shape: new[] { p.Linear.weight.shape[0], options.Rank }),
        }).ToList();
        foreach (var (key, shape) in expected)
        {
            if (!file.Entries.TryGetValue(key, out var entry)) throw new InvalidInputException($"{weightsPath}: missing tensor \"{key}\"");
            if (!entry.Shape.SequenceEqual(shape))
                throw new InvalidInputException(
                    $"{weightsPath}: tensor \"{key}\" has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", shape)}]");
        }
        var unexpected = file.Entries.Keys.Except(expected.Select(e => e.Key)).Order().ToList();
        if (unexpected.Count > 0)
            throw new InvalidInputException($"{weightsPath}: unexpected tensor \"{unexpected[0]}\" (targets: {string.Join(",", options.Targets)})");

        LoraAdapter.Apply(lm, options, seed: 0);
        using var noGrad = no_grad();
        foreach (var (name, linear) in projections)
        {
            using var scope = NewDisposeScope();
            linear.Lora!.lora_A.weight.copy_(file.Read(Key(name, "lora_A")));
            linear.Lora!.lora_B.weight.copy_(file.Read(Key(name, "lora_B")));
        }
    }

    static string Key(string moduleName, string matrix) => $"{KeyPrefix}{moduleName}.{matrix}.weight";

    // The fields PEFT's LoraConfig writes that decide how the adapter is applied; the rest keep PEFT's defaults.
    static JsonObject Config(LoraOptions options, string? baseModelNameOrPath) => new()
    {
        ["peft_type"] = "LORA",
        ["task_type"] = "CAUSAL_LM",
        ["base_model_name_or_path"] = baseModelNameOrPath,
        ["r"] = options.Rank,
        ["lora_alpha"] = options.Alpha,
        ["lora_dropout"] = options.Dropout,
        ["target_modules"] = new JsonArray([.. options.Targets.Select(t => (JsonNode)t)]),
        ["bias"] = "none",
        ["fan_in_fan_out"] = false,
        ["use_rslora"] = false,
        ["use_dora"] = false,
        ["modules_to_save"] = null,
        ["inference_mode"] = true,
    };

    /// <summary>The config's <c>base_model_name_or_path</c>, or null when it records none.</summary>
    public static string? ReadBaseModel(string directory)
    {
        var path = Path.Combine(directory, ConfigFileName);
        _ = ReadConfig(path);
        var value = JsonNode.Parse(File.ReadAllText(path))!["base_model_name_or_path"];
        return value is JsonValue v && v.TryGetValue<string>(out var name) && name.Length > 0 ? name : null;
    }

    /// <summary>Checks the adapter's config and that its weights file is there, without reading the weights.</summary>
    public static void Validate(string directory)
    {
        _ = ReadConfig(Path.Combine(directory, ConfigFileName));
        var weights = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weights)) throw new InvalidInputException($"adapter weights not found: {weights}");
    }

    static LoraOptions ReadConfig(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"adapter config not found: {path}");
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidInputException($"{path}: not a JSON object");
            if (json["peft_type"]?.GetValue<string>() != "LORA") throw new InvalidInputException($"{path}: peft_type must be \"LORA\"");
            foreach (var flag in new[] { "fan_in_fan_out", "use_rslora", "use_dora" })
                if (json[flag]?.GetValue<bool>() == true) throw new InvalidInputException($"{path}: {flag} = true is not supported");
            if ((json["bias"]?.GetValue<string>() ?? "none") != "none") throw new InvalidInputException($"{path}: bias must be \"none\"");
            if (json["target_modules"] is not JsonArray targets)
                throw new InvalidInputException($"{path}: target_modules must be a list of module names");
            var rank = json["r"]?.GetValue<int>() ?? throw new InvalidInputException($"{path}: missing \"r\"");
            var alpha = json["lora_alpha"]?.GetValue<double>() ?? throw new InvalidInputException($"{path}: missing \"lora_alpha\"");
            return new LoraOptions(rank, alpha, json["lora_dropout"]?.GetValue<double>() ?? 0.0, [.. targets.Select(t => t!.GetValue<string>())]);
        }
        catch (InvalidInputException e) when (!e.Message.StartsWith(path)) { throw new InvalidInputException($"{path}: {e.Message}", e); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidInputException($"{path}: malformed adapter config: {e.Message}", e);
        }
    }
}
