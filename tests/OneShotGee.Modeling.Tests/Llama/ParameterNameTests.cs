using OneShotGee.Modeling.Llama;

namespace OneShotGee.Modeling.Tests.Llama;

public sealed class ParameterNameTests
{
    static string[] LayerNames(int i, bool qkvBias) =>
    [
        $"model.layers.{i}.self_attn.q_proj.weight", .. qkvBias ? [$"model.layers.{i}.self_attn.q_proj.bias"] : Array.Empty<string>(),
        $"model.layers.{i}.self_attn.k_proj.weight", .. qkvBias ? [$"model.layers.{i}.self_attn.k_proj.bias"] : Array.Empty<string>(),
        $"model.layers.{i}.self_attn.v_proj.weight", .. qkvBias ? [$"model.layers.{i}.self_attn.v_proj.bias"] : Array.Empty<string>(),
        $"model.layers.{i}.self_attn.o_proj.weight",
        $"model.layers.{i}.mlp.gate_proj.weight", $"model.layers.{i}.mlp.up_proj.weight", $"model.layers.{i}.mlp.down_proj.weight",
        $"model.layers.{i}.input_layernorm.weight", $"model.layers.{i}.post_attention_layernorm.weight",
    ];

    [Fact]
    public void Every_qwen2_weight_is_a_trainable_parameter_with_its_hf_name()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1);
        string[] expected = ["model.embed_tokens.weight", .. LayerNames(0, true), .. LayerNames(1, true), "model.norm.weight", "lm_head.weight"];
        var named = lm.named_parameters().ToArray();
        Assert.Equal(expected.Order(), named.Select(p => p.name).Order());
        Assert.All(named, p => Assert.True(p.parameter.requires_grad, p.name));
        Assert.Empty(lm.named_buffers());
    }

    [Fact]
    public void Tied_llama_has_no_lm_head_and_reads_logits_from_the_embedding()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama(tied: true), seed: 1);
        string[] expected = ["model.embed_tokens.weight", .. LayerNames(0, false), .. LayerNames(1, false), "model.norm.weight"];
        Assert.Equal(expected.Order(), lm.named_parameters().Select(p => p.name).Order());
        Assert.Null(lm.lm_head);
    }

    [Fact]
    public void Random_init_is_seeded_with_hf_defaults()
    {
        using var a = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 7);
        using var b = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 7);
        using var c = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 8);
        Assert.True(a.model.embed_tokens.weight.eq(b.model.embed_tokens.weight).all().item<bool>());
        Assert.False(a.model.embed_tokens.weight.eq(c.model.embed_tokens.weight).all().item<bool>());
        Assert.InRange(a.model.embed_tokens.weight.std().item<float>(), 0.017f, 0.023f);
        Assert.Equal(1f, a.model.norm.weight.min().item<float>());
        Assert.Equal(0f, a.model.layers[0].self_attn.q_proj.bias!.abs().max().item<float>());
    }
}
