using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// What every decoder layer shares in one forward: rotary tables (<see cref="Sin"/> is the signed table of
/// <see cref="RotaryEmbedding.Compute"/>), the additive attention mask, the cache.
/// </summary>
public sealed record LayerContext(Tensor Cos, Tensor Sin, Tensor AttentionMask, KvCache? Cache);
