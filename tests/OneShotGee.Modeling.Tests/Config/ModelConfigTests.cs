using System.Text.Json.Nodes;
using OneShotGee.Core;
using OneShotGee.Modeling.Config;
using OneShotGee.Tests;

namespace OneShotGee.Modeling.Tests.Config;

public sealed class ModelConfigTests
{
    static string QwenJson => File.ReadAllText(Fixtures.PathOf("models/tiny-qwen2/config.json"));

    static string With(string json, string key, JsonNode? value)
    {
        var o = JsonNode.Parse(json)!.AsObject();
        o[key] = value;
        return o.ToJsonString();
    }

    [Fact]
    public void Qwen2_config_derives_head_dim_and_gets_qkv_bias_only()
    {
        var c = ModelConfig.Parse(QwenJson);
        Assert.Equal(ModelConfig.Qwen2Architecture, c.Architecture);
        Assert.Equal(8, c.HeadDim);
        Assert.Equal(2, c.NumKeyValueHeads);
        Assert.True(c.QkvBias);
        Assert.False(c.OutputBias);
        Assert.False(c.TieWordEmbeddings);
        Assert.Equal(1e6, c.RopeTheta);
        Assert.Equal([151645], c.EosTokenIds);
    }

    [Fact]
    public void Llama_config_reads_head_dim_attention_bias_and_eos_lists()
    {
        var json = File.ReadAllText(Fixtures.PathOf("models/stories260k/config.json"));
        json = With(With(json, "attention_bias", true), "eos_token_id", new JsonArray(2, 7));
        var c = ModelConfig.Parse(json);
        Assert.Equal(8, c.HeadDim);
        Assert.True(c.QkvBias && c.OutputBias);
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal([2, 7], c.EosTokenIds);
    }

    [Fact]
    public void Rope_scaling_llama3_and_linear_are_read()
    {
        var llama3 = ModelConfig.Parse(With(QwenJson, "rope_scaling", JsonNode.Parse(
            """{"rope_type":"llama3","factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192}""")));
        Assert.Equal(new RopeScaling("llama3", 8, 1, 4, 8192), llama3.RopeScaling);
        var linear = ModelConfig.Parse(With(QwenJson, "rope_scaling", JsonNode.Parse("""{"type":"linear","factor":2.0}""")));
        Assert.Equal(new RopeScaling("linear", 2), linear.RopeScaling);
    }

    [Theory]
    [InlineData("architectures", """["MistralForCausalLM"]""", "MistralForCausalLM")]
    [InlineData("rope_scaling", """{"rope_type":"yarn","factor":4.0}""", "yarn")]
    [InlineData("use_sliding_window", "true", "use_sliding_window")]
    [InlineData("hidden_act", "\"gelu\"", "gelu")]
    [InlineData("num_key_value_heads", "3", "num_key_value_heads")]
    [InlineData("hidden_size", "\"big\"", "hidden_size")]
    public void Unsupported_or_invalid_options_are_named(string key, string value, string named)
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelConfig.Parse(With(QwenJson, key, JsonNode.Parse(value))));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Missing_required_field_is_named()
    {
        var o = JsonNode.Parse(QwenJson)!.AsObject();
        o.Remove("vocab_size");
        Assert.Contains("vocab_size", Assert.Throws<InvalidInputException>(() => ModelConfig.Parse(o.ToJsonString())).Message);
    }

    [Fact]
    public void ToJson_keeps_unknown_fields_and_round_trips()
    {
        var original = ModelConfig.Parse(With(QwenJson, "my_custom_field", new JsonObject { ["x"] = 1 }));
        var json = original.ToJson();
        Assert.Equal(1, json["my_custom_field"]!["x"]!.GetValue<int>());
        Assert.Equal(512, json["sliding_window"]!.GetValue<int>());
        var again = ModelConfig.Parse(json.ToJsonString());
        Assert.Equal(original with { Json = again.Json, EosTokenIds = again.EosTokenIds }, again);
        Assert.Equal(original.EosTokenIds, again.EosTokenIds);
    }
}
