using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Llama;

/// <summary>
/// The TorchScript decoding step must give exactly what the modules give: the same logits bit for bit at every step of
/// a left-padded batch, and the same cache (read by the steps after it).
/// </summary>
public sealed class DecodeStepScriptTests
{
    public static TheoryData<string, string> Models => new()
    {
        { "llama, 2 query heads per kv head", "float32" },
        { "llama, 2 query heads per kv head", "bfloat16" },
        { "llama, attention and mlp biases, no grouping", "float32" },
        { "qwen2, qkv bias", "bfloat16" },
        { "qwen2, qkv bias", "float16" },
    };

    static ModelConfig Config(string name) => name switch
    {
        "llama, 2 query heads per kv head" => TinyModels.Llama(),
        "llama, attention and mlp biases, no grouping" => TinyModels.Llama(tied: true) with
            { QkvBias = true, OutputBias = true, MlpBias = true, NumKeyValueHeads = 4 },
        "qwen2, qkv bias" => TinyModels.Qwen2(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_decoding_step_equals_the_modules_bit_for_bit(string model, string dtype)
    {
        using var lm = CausalLM.CreateRandom(Config(model), seed: 4, Enum.Parse<ScalarType>(dtype, ignoreCase: true));
        RandomizeBiasesAndNorms(lm);
        AssertSameSteps(lm, [[5, 9, 3], [17, 11, 4, 8, 30]]);
    }

    [Fact]
    public void The_152k_vocabulary_qwen2_fixture_in_bfloat16_decodes_bit_for_bit_as_the_modules()
    {
        using var lm = CausalLM.FromPretrained(Fixtures.PathOf("models/tiny-qwen2"), ScalarType.BFloat16);
        AssertSameSteps(lm, [[151643, 40, 1079], [9707, 11, 1879, 0]]);
    }

    [Theory]
    [InlineData("q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj", "float32")]
    [InlineData("q_proj,v_proj", "bfloat16")] // some parts of the fused q/k/v carry a branch, others not
    [InlineData("o_proj,up_proj,down_proj", "bfloat16")]
    public void A_model_with_enabled_lora_branches_decodes_bit_for_bit_as_the_modules(string targets, string dtype)
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 4, Enum.Parse<ScalarType>(dtype, ignoreCase: true));
        RandomizeBiasesAndNorms(lm);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8, targets: LoraOptions.ParseTargets(targets)), seed: 3);
        using (no_grad())
        {
            foreach (var (_, projection) in LoraAdapter.Branches(lm)) projection.Lora!.lora_B.weight.normal_(0, 0.5);
            using var cache = lm.NewCache();
            Assert.True(DecodeStepScript.Applies(lm.model, 1, cache)); // the comparison below is not with itself
        }

        var withLora = AssertSameSteps(lm, [[5, 9, 3], [7]]);

        using (LoraAdapter.Disable(lm))
            Assert.False(Same(withLora, AssertSameSteps(lm, [[5, 9, 3], [7]])));
    }

    [Fact]
    public void Lora_dropout_in_training_mode_runs_the_modules()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 4);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8, dropout: 0.1), seed: 3);
        using var cache = lm.NewCache();
        using var noGrad = no_grad();
        lm.eval();
        Assert.True(DecodeStepScript.Applies(lm.model, 1, cache));
        lm.train();
        Assert.False(DecodeStepScript.Applies(lm.model, 1, cache));
    }

    [Fact]
    public async Task Decoding_survives_garbage_collections_during_the_script_call()
    {
        // TorchSharp passes a double argument to TorchScript as a Scalar temporary it does not keep alive; a collection
        // during the native call freed one and libtorch failed reading it (seen in a full test run).
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 4);
        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() => { while (!stop.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); } });
        try
        {
            var output = TokenGenerator.Generate(lm, [[5, 9, 3], [7]], new GenerationOptions { MaxNewTokens = 2000 });
            Assert.All(output, o => Assert.Equal(2000, o.GeneratedIds.Count));
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
    }

    static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    // Biases start at 0 and norms at 1 (HF init); random ones make a dropped bias or norm show.
    static void RandomizeBiasesAndNorms(CausalLM lm)
    {
        using var noGrad = no_grad();
        using var generator = new Generator(11);
        foreach (var (name, p) in lm.named_parameters())
            if (name.EndsWith(".bias") || name.EndsWith("norm.weight"))
                p.copy_(rand(p.shape, generator: generator).add_(0.5));
    }

    /// <summary>Greedy steps with the kernel and with the modules; returns the kernel's logits of all steps.</summary>
    static Tensor AssertSameSteps(CausalLM lm, IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        var fused = Steps(lm, prompts, fusedDecoding: true);
        var modules = Steps(lm, prompts, fusedDecoding: false);
        Assert.Equal(modules.shape, fused.shape);
        Assert.True(Same(fused, modules), $"max difference {(fused - modules).abs().max().item<float>()}");
        return fused;
    }

    // Prefill, then 6 decoding steps of the argmax of the last ones: logits [steps, b, vocab] as float32.
    static Tensor Steps(CausalLM lm, IReadOnlyList<IReadOnlyList<int>> prompts, bool fusedDecoding)
    {
        lm.model.FusedDecoding = fusedDecoding;
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var (ids, mask) = PaddedBatch.Left(prompts, lm.Config.VocabSize, lm.Device);
            using var cache = lm.NewCache(2); // too small: the kernel's steps grow it as well
            var logits = new List<Tensor> { lm.LastLogits(ids, mask, 1, cache) };
            for (var step = 0; step < 6; step++)
            {
                mask = cat([mask, ones([mask.shape[0], 1], ScalarType.Int64)], 1);
                Assert.Equal(fusedDecoding, DecodeStepScript.Applies(lm.model, 1, cache)); // not the modules against themselves
                logits.Add(lm.LastLogits(logits[^1].argmax(-1), mask, 1, cache));
            }
            return cat(logits, 1).to(ScalarType.Float32).transpose(0, 1).MoveToOuterDisposeScope();
        }
        finally { lm.model.FusedDecoding = true; }
    }
}
