using static TorchSharp.torch;

namespace OneShotGee.Modeling.Checkpoint;

/// <summary>How <see cref="CheckpointWriter"/> writes a checkpoint.</summary>
/// <param name="MaxShardBytes">Largest safetensors shard (HF save_pretrained default: 5 GB).</param>
/// <param name="StorageDtype">Stored dtype (float32, float16, bfloat16); default: the model's runtime dtype, as HF does.</param>
/// <param name="TokenizerSource">Directory to copy tokenizer files from; default: the directory the model was loaded from.</param>
public sealed record SaveOptions(long MaxShardBytes = 5_000_000_000, ScalarType? StorageDtype = null, string? TokenizerSource = null);
