using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Llama;

public sealed class ForwardTests
{
    static Tensor Ids(params long[] ids) => tensor(ids, [1, ids.Length]);

    [Fact]
    public void Sdpa_attention_with_repeated_kv_heads_equals_plain_softmax_attention()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(3, CPU);
        var q = randn([2, 4, 5, 8], generator: g);
        var k = randn([2, 2, 5, 8], generator: g);
        var v = randn([2, 2, 5, 8], generator: g);
        var padding = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 5]);
        var mask = AttentionMask.Causal(padding, 5, ScalarType.Float32);

        var actual = Attention.Attend(q, k, v, mask);

        // Plain reference: query head h reads kv head h / 2; scores scaled by 1/sqrt(8).
        var kk = stack([k[.., 0], k[.., 0], k[.., 1], k[.., 1]], 1);
        var vv = stack([v[.., 0], v[.., 0], v[.., 1], v[.., 1]], 1);
        var expected = (q.matmul(kk.transpose(-1, -2)) / Math.Sqrt(8) + mask).softmax(-1).matmul(vv);
        // Rows of pad queries (batch 0, positions 0-1) are meaningless; compare the real ones.
        Assert.True(actual[0, .., 2..].allclose(expected[0, .., 2..], rtol: 1e-5, atol: 1e-6));
        Assert.True(actual[1].allclose(expected[1], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Single_query_grouped_attention_equals_plain_softmax_attention()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(4, CPU);
        var q = randn([2, 6, 1, 8], generator: g);
        var k = randn([2, 2, 5, 8], generator: g);
        var v = randn([2, 2, 5, 8], generator: g);
        var padding = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 5]);
        var mask = AttentionMask.Causal(padding, 1, ScalarType.Float32);

        var actual = Attention.Attend(q, k, v, mask);

        // Query heads 0-2 read kv head 0, heads 3-5 kv head 1; batch 0 must ignore its 2 pad keys.
        var kk = stack([k[.., 0], k[.., 0], k[.., 0], k[.., 1], k[.., 1], k[.., 1]], 1);
        var vv = stack([v[.., 0], v[.., 0], v[.., 0], v[.., 1], v[.., 1], v[.., 1]], 1);
        var expected = (q.matmul(kk.transpose(-1, -2)) / Math.Sqrt(8) + mask).softmax(-1).matmul(vv);
        Assert.Equal([2, 6, 1, 8], actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void The_kv_cache_returns_everything_written_across_regrowth()
    {
        using var scope = NewDisposeScope();
        using var cache = new KvCache(numLayers: 1, capacity: 2);
        Tensor Step(long first, long count) => arange(first, first + count, ScalarType.Float32).view(1, 1, count, 1);
        cache.Append(0, Step(0, 1), Step(100, 1));
        cache.Append(0, Step(1, 2), Step(101, 2)); // 3 > 2: grows
        var (keys, values) = cache.Append(0, Step(3, 2), Step(103, 2)); // 5 > 4: grows again
        Assert.Equal(5, cache.Length);
        Assert.Equal([0f, 1, 2, 3, 4], keys.flatten().data<float>().ToArray());
        Assert.Equal([100f, 101, 102, 103, 104], values.flatten().data<float>().ToArray());
    }

    [Theory]
    [InlineData(0)] // grows 4 -> 8
    [InlineData(6)] // exactly the sequence
    public void Incremental_decoding_with_the_kv_cache_equals_a_full_forward(long capacity)
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(5, 9, 3, 17, 11, 4);
        var full = lm.call(ids, ones_like(ids), null);

        using var cache = lm.NewCache(capacity);
        var first = lm.call(ids[.., ..4], ones(1, 4, ScalarType.Int64), cache);
        var fifth = lm.call(ids[.., 4..5], ones(1, 5, ScalarType.Int64), cache);
        var sixth = lm.call(ids[.., 5..6], ones(1, 6, ScalarType.Int64), cache);
        var incremental = cat([first, fifth, sixth], 1);
        Assert.Equal(6, cache.Length);
        Assert.True(incremental.allclose(full, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Left_padding_does_not_change_a_sequences_logits()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama(), seed: 3);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var alone = lm.call(Ids(7, 8, 9), ones(1, 3, ScalarType.Int64), null);
        var (ids, mask) = PaddedBatch.Left([[7, 8, 9], [1, 2, 3, 4, 5]], 40, CPU);
        var batched = lm.call(ids, mask, null);
        Assert.True(batched[0, 2..].allclose(alone[0], rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Qwen2_with_zero_biases_and_tied_head_equals_the_same_llama()
    {
        using var llama = CausalLM.CreateRandom(TinyModels.Llama(tied: true), seed: 4);
        using var qwen = CausalLM.CreateRandom(TinyModels.Qwen2(tied: true) with { RopeTheta = 10000 }, seed: 5);
        var llamaParams = llama.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, p) in qwen.named_parameters())
                if (name.EndsWith(".bias")) p.zero_(); else p.copy_(llamaParams[name]);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(3, 1, 4, 1, 5, 9, 2, 6);
        Assert.True(qwen.call(ids, ones_like(ids), null).allclose(llama.call(ids, ones_like(ids), null), rtol: 0, atol: 0));
    }

    [Fact]
    public void Qwen2_biases_change_the_logits()
    {
        using var qwen = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 5);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = Ids(3, 1, 4, 1, 5);
        var before = qwen.call(ids, ones_like(ids), null);
        qwen.model.layers[0].self_attn.k_proj.bias!.fill_(0.5);
        Assert.False(qwen.call(ids, ones_like(ids), null).allclose(before));
    }
}
