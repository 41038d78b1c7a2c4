using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using OneShotGee.Modeling.Safetensors;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Lora;

public sealed class PeftAdapterFilesTests
{
    static CausalLM AdaptedModel(LoraOptions options)
    {
        var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1);
        LoraAdapter.Apply(lm, options, seed: 5);
        LoraFixtures.PerturbB(lm, seed: 6);
        return lm;
    }

    [Fact]
    public void Save_writes_the_peft_config_and_tensor_names()
    {
        using var dir = new TempDirectory();
        using var lm = AdaptedModel(new LoraOptions(rank: 4, alpha: 16, dropout: 0.05, targets: ["v_proj", "up_proj"]));
        LoraAdapter.Save(lm, dir.File("adapter"), "Qwen/Qwen2.5-0.5B");

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("adapter"), "adapter_config.json")))!;
        Assert.Equal("LORA", config["peft_type"]!.GetValue<string>());
        Assert.Equal("CAUSAL_LM", config["task_type"]!.GetValue<string>());
        Assert.Equal("Qwen/Qwen2.5-0.5B", config["base_model_name_or_path"]!.GetValue<string>());
        Assert.Equal(4, config["r"]!.GetValue<int>());
        Assert.Equal(16, config["lora_alpha"]!.GetValue<double>());
        Assert.Equal(0.05, config["lora_dropout"]!.GetValue<double>());
        Assert.Equal(["v_proj", "up_proj"], config["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("none", config["bias"]!.GetValue<string>());
        Assert.False(config["fan_in_fan_out"]!.GetValue<bool>());
        Assert.True(config["inference_mode"]!.GetValue<bool>());

        using var file = SafetensorsFile.Open(Path.Combine(dir.File("adapter"), "adapter_model.safetensors"));
        var expected = new Dictionary<string, long[]>();
        for (var i = 0; i < 2; i++)
        {
            // v_proj: 16 -> 2 kv heads x 4; up_proj: 16 -> 24.
            expected[$"base_model.model.model.layers.{i}.self_attn.v_proj.lora_A.weight"] = [4, 16];
            expected[$"base_model.model.model.layers.{i}.self_attn.v_proj.lora_B.weight"] = [8, 4];
            expected[$"base_model.model.model.layers.{i}.mlp.up_proj.lora_A.weight"] = [4, 16];
            expected[$"base_model.model.model.layers.{i}.mlp.up_proj.lora_B.weight"] = [24, 4];
        }
        Assert.Equal(expected.Keys.Order(), file.Entries.Keys.Order());
        foreach (var (name, shape) in expected)
        {
            Assert.Equal(shape, file.Entries[name].Shape);
            Assert.Equal("F32", file.Entries[name].Dtype);
        }
        Assert.Equal([dir.File("adapter")], Directory.GetDirectories(dir.Path)); // no staging left behind
    }

    [Fact]
    public void Load_onto_a_fresh_base_restores_the_adapters_bit_identically()
    {
        using var dir = new TempDirectory();
        using var lm = AdaptedModel(new LoraOptions(rank: 3, alpha: 5, dropout: 0.1, targets: ["q_proj", "o_proj", "down_proj"]));
        LoraAdapter.Save(lm, dir.File("adapter"));
        LoraAdapter.Save(lm, dir.File("adapter")); // overwriting an existing adapter works

        using var fresh = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1);
        LoraAdapter.Load(fresh, dir.File("adapter"));

        var expected = lm.named_parameters().ToList();
        var actual = fresh.named_parameters().ToList();
        Assert.Equal(expected.Select(p => p.name), actual.Select(p => p.name));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(LoraFixtures.Same(expected[i].parameter, actual[i].parameter), expected[i].name);
            Assert.Equal(expected[i].parameter.requires_grad, actual[i].parameter.requires_grad);
        }
        var options = LoraAdapter.Branches(fresh)[0].Projection.Lora!.Options;
        Assert.Equal((3, 5.0, 0.1), (options.Rank, options.Alpha, options.Dropout));
    }

    static string SavedAdapter(TempDirectory dir, Func<List<(string Name, Tensor Tensor)>, List<(string Name, Tensor Tensor)>> edit)
    {
        using var lm = AdaptedModel(new LoraOptions(rank: 2, alpha: 4, targets: ["q_proj"]));
        LoraAdapter.Save(lm, dir.File("adapter"));
        var path = Path.Combine(dir.File("adapter"), "adapter_model.safetensors");
        List<(string Name, Tensor Tensor)> tensors;
        using (var file = SafetensorsFile.Open(path)) tensors = [.. file.Entries.Keys.Select(k => (k, file.Read(k)))];
        File.Delete(path);
        SafetensorsWriter.Write(path, edit(tensors), ScalarType.Float32);
        return dir.File("adapter");
    }

    [Fact]
    public void Missing_misshaped_or_unexpected_tensors_are_named_and_leave_the_model_plain()
    {
        const string a1 = "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight";
        var cases = new (Func<List<(string Name, Tensor Tensor)>, List<(string Name, Tensor Tensor)>> Edit, string Message)[]
        {
            (t => [.. t.Where(x => x.Name != a1)], $"missing tensor \"{a1}\""),
            (t => [.. t.Select(x => x.Name == a1 ? (x.Name, zeros(2, 15)) : x)], $"tensor \"{a1}\" has shape [2, 15], expected [2, 16]"),
            (t => [.. t, ("base_model.model.lm_head.lora_A.weight", zeros(2, 16))], "unexpected tensor \"base_model.model.lm_head.lora_A.weight\""),
        };
        foreach (var (edit, message) in cases)
        {
            using var dir = new TempDirectory();
            var path = SavedAdapter(dir, edit);
            using var fresh = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1);
            var e = Assert.Throws<InvalidInputException>(() => LoraAdapter.Load(fresh, path));
            Assert.Contains(message, e.Message);
            Assert.Contains("adapter_model.safetensors", e.Message);
            Assert.Empty(LoraAdapter.Branches(fresh));
            Assert.All(fresh.parameters(), p => Assert.True(p.requires_grad));
        }
    }

    [Fact]
    public void A_config_with_unsupported_settings_names_the_file_and_field()
    {
        using var dir = new TempDirectory();
        var path = SavedAdapter(dir, t => t);
        var configPath = Path.Combine(path, "adapter_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["use_rslora"] = true;
        File.WriteAllText(configPath, config.ToJsonString());
        using var fresh = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1);
        var e = Assert.Throws<InvalidInputException>(() => LoraAdapter.Load(fresh, path));
        Assert.Equal($"{configPath}: use_rslora = true is not supported", e.Message);

        config["use_rslora"] = false;
        config["r"] = 0;
        File.WriteAllText(configPath, config.ToJsonString());
        e = Assert.Throws<InvalidInputException>(() => LoraAdapter.Load(fresh, path));
        Assert.StartsWith($"{configPath}: --lora-rank must be at least 1", e.Message);
    }
}
