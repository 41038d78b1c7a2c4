using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.DecodeBench;

/// <summary>
/// TorchSharp calls per decoded token, counted as the tensor handles TorchSharp creates (every op that returns a new
/// tensor, views included; in-place ops such as <c>copy_</c> or <c>add_</c> return their input and are not counted).
/// Per layer = (count with L layers − count with 1 layer) / (L − 1), of random models with the checkpoint's config,
/// decoding module by module and with each step as one TorchScript call (<see cref="DecoderModel.FusedDecoding"/>, whose
/// ops run inside libtorch and create no TorchSharp handle).
/// </summary>
static class DispatchCount
{
    public static int Run(string modelDir)
    {
        var config = ModelConfig.Load(Path.Combine(modelDir, "config.json"));
        foreach (var fused in new[] { false, true })
        {
            var (layers, full) = (config.NumHiddenLayers, PerToken(config, fused));
            var one = PerToken(config with { NumHiddenLayers = 1 }, fused);
            Console.WriteLine($"{(fused ? "fused decoding" : "module by module")}: tensors created per decoded token: {full:F1} ({layers} layers); per layer {(full - one) / (layers - 1):F1}; outside the layers {one - (full - one) / (layers - 1):F1}");
        }
        return 0;
    }

    // Greedy, batch 1: a 64-token run minus a 32-token run, over 32 tokens.
    static double PerToken(ModelConfig config, bool fused)
    {
        using var lm = CausalLM.CreateRandom(config, seed: 0);
        lm.model.FusedDecoding = fused;
        long Created(int tokens)
        {
            var stats = TorchSharp.DisposeScopeManager.Statistics.TensorStatistics;
            var before = stats.CreatedInScopeCount + stats.CreatedOutsideScopeCount;
            TokenGenerator.Generate(lm, [[1]], new GenerationOptions { MaxNewTokens = tokens });
            return stats.CreatedInScopeCount + stats.CreatedOutsideScopeCount - before;
        }
        return (Created(64) - Created(32)) / 32.0;
    }
}
