using OneShotGee.Modeling.Config;

namespace OneShotGee.Modeling.Tests;

/// <summary>Small configs for tests that build random models.</summary>
static class TinyModels
{
    public static ModelConfig Llama(bool tied = false) => new()
    {
        Architecture = ModelConfig.LlamaArchitecture,
        VocabSize = 40, HiddenSize = 16, IntermediateSize = 24, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 4, RmsNormEps = 1e-5,
        TieWordEmbeddings = tied, BosTokenId = 1, EosTokenIds = [2],
    };

    public static ModelConfig Qwen2(bool tied = false) => Llama(tied) with { Architecture = ModelConfig.Qwen2Architecture, QkvBias = true, RopeTheta = 1e6 };
}
