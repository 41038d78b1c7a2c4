using OneShotGee.Core;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Safetensors;

/// <summary>The safetensors dtype strings this runtime reads and writes.</summary>
public static class SafetensorsDtype
{
    public static ScalarType ToScalarType(string dtype, string tensorName) => dtype switch
    {
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        _ => throw new InvalidInputException($"tensor \"{tensorName}\": stored dtype {dtype} is not supported (F32, F16, BF16)"),
    };

    public static string FromScalarType(ScalarType type) => type switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        _ => throw new InvalidInputException($"dtype {type} cannot be saved (float32, float16, bfloat16)"),
    };

    public static int ElementSize(ScalarType type) => type == ScalarType.Float32 ? 4 : 2;

    /// <summary>Parses a config.json <c>torch_dtype</c> or a user option ("bfloat16", "bf16", "float32", ...).</summary>
    public static ScalarType? ParseTorchDtype(string? name) => name?.ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ScalarType.Float32,
        "float16" or "fp16" or "f16" or "half" => ScalarType.Float16,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        _ => null,
    };

    public static string TorchDtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        _ => type.ToString().ToLowerInvariant(),
    };
}
