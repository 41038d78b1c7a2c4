using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using OneShotGee.Modeling.Safetensors;
using OneShotGee.Modeling.Scoring;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Lora;

/// <summary>
/// <see cref="LoraAdapter.SaveMerged"/> on the tiny Qwen2 fixture (bfloat16 weights, 152k vocabulary) trained in
/// bfloat16: the trained model is W_bf16 + (α/r)·B·A. Every model is scored in float32, where a bfloat16 weight widens
/// exactly, so the only differences are the ones the stored checkpoints make.
/// </summary>
public sealed class MergedCheckpointTests
{
    static readonly string TinyQwen2 = Fixtures.PathOf("models/tiny-qwen2");

    [Fact]
    public void A_float32_merge_scores_like_the_adapter_and_a_bfloat16_merge_does_not()
    {
        using var dir = new TempDirectory();
        using (var trained = CausalLM.FromPretrained(TinyQwen2, ScalarType.BFloat16))
        {
            LoraAdapter.Apply(trained, new LoraOptions(rank: 8, alpha: 16), seed: 3);
            LoraFixtures.SetUpdateOfHalfABfloat16Ulp(trained, seed: 4);
            LoraAdapter.Save(trained, dir.File("adapter"));
            LoraAdapter.SaveMerged(trained, dir.File("merged"), ScalarType.Float32);
            LoraAdapter.SaveMerged(trained, dir.File("merged-bf16"), ScalarType.BFloat16);
            Assert.NotEmpty(LoraAdapter.Branches(trained)); // saving a merge leaves the model as it was
        }
        var ids = Ids(count: 32, vocab: 151936);
        using var baseModel = CausalLM.FromPretrained(TinyQwen2, ScalarType.Float32);
        var lpBase = LogProbs(baseModel, ids);
        using var adapted = CausalLM.FromPretrained(TinyQwen2, ScalarType.Float32);
        LoraAdapter.Load(adapted, dir.File("adapter"));
        var lpAdapter = LogProbs(adapted, ids);
        using var merged = CausalLM.FromPretrained(dir.File("merged"), ScalarType.Float32);
        using var lossy = CausalLM.FromPretrained(dir.File("merged-bf16"), ScalarType.Float32);

        var update = MaxDiff(lpBase, lpAdapter);
        var mergeError = MaxDiff(LogProbs(merged, ids), lpAdapter);
        var lossyError = MaxDiff(LogProbs(lossy, ids), lpAdapter);
        Assert.True(update > 0, "the update changed nothing");
        Assert.True(mergeError <= 0.1 * update, $"float32 merge: max|Δlp| {mergeError:E3} vs update {update:E3}");
        // The documented lossy option: bfloat16 storage rounds most of the update away (measured: error ≈ update).
        Assert.True(lossyError > 0.1 * update, $"bfloat16 merge: max|Δlp| {lossyError:E3} vs update {update:E3}");

        Assert.Contains("\"torch_dtype\": \"float32\"", File.ReadAllText(Path.Combine(dir.File("merged"), "config.json")));
        using var file = SafetensorsFile.Open(Path.Combine(dir.File("merged"), SafetensorsCheckpoint.SingleFileName));
        Assert.All(file.Entries.Values, e => Assert.Equal("F32", e.Dtype));
        Assert.DoesNotContain(file.Entries.Keys, k => k.Contains("lora"));
        var adaptedWeights = LoraAdapter.Branches(adapted).Select(b => b.Name + ".weight").ToHashSet();
        foreach (var (name, p) in baseModel.named_parameters())
        {
            var stored = merged.get_parameter(name)!;
            Assert.Equal(!adaptedWeights.Contains(name), LoraFixtures.Same(stored, p)); // untouched tensors widened exactly
        }
    }

    static IReadOnlyList<int> Ids(int count, int vocab)
    {
        var random = new Random(7);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(vocab))];
    }

    static double[] LogProbs(CausalLM lm, IReadOnlyList<int> ids)
    {
        lm.eval();
        return [.. TokenScorer.Score(lm, [ids])[0].TokenLogprobs];
    }

    static double MaxDiff(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
