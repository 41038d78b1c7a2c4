using System.Text.Json.Nodes;
using OneShotGee.Modeling.Checkpoint;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Safetensors;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Checkpoint;

public sealed class CheckpointRoundTripTests
{
    static void AssertSameParameters(CausalLM expected, CausalLM actual)
    {
        var a = expected.named_parameters().ToArray();
        var b = actual.named_parameters().ToArray();
        Assert.Equal(a.Select(p => p.name), b.Select(p => p.name));
        for (var i = 0; i < a.Length; i++) Assert.True(a[i].parameter.eq(b[i].parameter).all().item<bool>(), a[i].name);
    }

    [Fact]
    public void Stories260k_saves_and_reloads_bit_identically_with_config_and_tokenizer_files()
    {
        using var dir = new TempDirectory();
        var source = Fixtures.PathOf("models/stories260k");
        using var lm = CausalLM.FromPretrained(source);
        lm.SavePretrained(dir.File("out"));
        using var again = CausalLM.FromPretrained(dir.File("out"));
        AssertSameParameters(lm, again);

        foreach (var file in new[] { "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, file)), File.ReadAllBytes(Path.Combine(dir.File("out"), file)));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "config.json")))!;
        Assert.Equal(1, config["pretraining_tp"]!.GetValue<int>()); // a field the runtime does not model survives
        Assert.True(File.Exists(Path.Combine(dir.File("out"), "generation_config.json")));
        using var weights = SafetensorsCheckpoint.Open(dir.File("out"));
        Assert.DoesNotContain("lm_head.weight", weights.Entries.Keys); // tied
        Assert.Equal([dir.File("out")], Directory.GetDirectories(dir.Path)); // no staging left behind
    }

    [Fact]
    public void Tiny_shards_write_an_index_and_reload_bit_identically()
    {
        using var dir = new TempDirectory();
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 9);
        lm.SavePretrained(dir.File("out"), new SaveOptions(MaxShardBytes: 2_000));
        var shards = Directory.GetFiles(dir.File("out"), "model-*-of-*.safetensors");
        Assert.True(shards.Length > 3, $"{shards.Length} shards");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("out"), SafetensorsCheckpoint.IndexFileName)))!;
        Assert.Equal(lm.named_parameters().Count(), index["weight_map"]!.AsObject().Count);
        Assert.False(File.Exists(Path.Combine(dir.File("out"), SafetensorsCheckpoint.SingleFileName)));
        using var again = CausalLM.FromPretrained(dir.File("out"));
        AssertSameParameters(lm, again);
    }

    [Fact]
    public void Bf16_checkpoint_loaded_as_float32_saves_back_to_the_same_bf16_bytes()
    {
        using var dir = new TempDirectory();
        var source = Fixtures.PathOf("models/tiny-qwen2");
        using var lm = CausalLM.FromPretrained(source);
        Assert.Equal(ScalarType.Float32, lm.Dtype);
        lm.SavePretrained(dir.File("out"), new SaveOptions(StorageDtype: ScalarType.BFloat16));

        using var original = SafetensorsCheckpoint.Open(source);
        using var saved = SafetensorsCheckpoint.Open(dir.File("out"));
        Assert.Equal(original.Entries.Keys.Order(), saved.Entries.Keys.Order());
        foreach (var name in original.Entries.Keys)
        {
            using var a = original.Read(name);
            using var b = saved.Read(name);
            Assert.Equal(ScalarType.BFloat16, b.dtype);
            Assert.Equal(a.bytes.ToArray(), b.bytes.ToArray());
        }
        Assert.Equal("bfloat16", JsonNode.Parse(File.ReadAllText(Path.Combine(dir.File("out"), "config.json")))!["torch_dtype"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(dir.File("out"), "tokenizer.json")));
    }

    [Fact]
    public void Saving_over_an_existing_checkpoint_replaces_it()
    {
        using var dir = new TempDirectory();
        using var first = CausalLM.CreateRandom(TinyModels.Llama(), seed: 1);
        using var second = CausalLM.CreateRandom(TinyModels.Llama(), seed: 2);
        first.SavePretrained(dir.File("out"), new SaveOptions(MaxShardBytes: 2_000));
        second.SavePretrained(dir.File("out"));
        Assert.Empty(Directory.GetFiles(dir.File("out"), "model-*"));
        using var loaded = CausalLM.FromPretrained(dir.File("out"));
        AssertSameParameters(second, loaded);
    }
}
