using OneShotGee.Core;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Runtime;

/// <summary>Parses the user's <c>--device</c> and <c>--dtype</c> choices into TorchSharp values.</summary>
public static class ComputeTarget
{
    public static readonly IReadOnlyList<string> DeviceNames = ["auto", "cpu", "cuda"];
    public static readonly IReadOnlyList<string> DtypeNames = ["auto", "float32", "bfloat16", "float16"];

    /// <summary>"auto" picks CUDA when a GPU is usable, else the CPU; "cuda" or "cuda:N" requires one.</summary>
    public static Device ParseDevice(string name)
    {
        if (name == "auto") return cuda.is_available() ? CUDA : CPU;
        if (name == "cpu") return CPU;
        if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new InvalidInputException(
                    $"device '{name}' was asked for, but no CUDA device is usable (this build uses the CPU libtorch unless built with TorchBackend=cuda)");
            return device(name);
        }
        throw new InvalidInputException($"device '{name}' is unknown; expected one of {string.Join(", ", DeviceNames)} or cuda:N");
    }

    /// <summary>The dtype a model is trained in on <paramref name="device"/> when none is asked for: float32 on CPU, bfloat16 on CUDA.</summary>
    public static ScalarType DefaultDtype(Device device) =>
        device.type == TorchSharp.DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>
    /// What "auto" loads a checkpoint stored as <paramref name="stored"/> in, to generate, score or evaluate it: float32 on
    /// the CPU; on CUDA bfloat16, except that a float32 checkpoint stays float32. A float32 LoRA merge rounded to bfloat16
    /// loses every update smaller than half a bfloat16 ulp of its weight, so the evaluated model would not be the trained
    /// one (issue 13); a bfloat16 or float16 checkpoint loses nothing in bfloat16 that it had not lost already.
    /// </summary>
    public static ScalarType AutoDtype(Device device, ScalarType stored) =>
        device.type != TorchSharp.DeviceType.CUDA ? ScalarType.Float32
        : stored is ScalarType.Float32 or ScalarType.Float64 ? ScalarType.Float32
        : ScalarType.BFloat16;

    /// <summary>"auto" returns null: <see cref="AutoDtype"/> of the checkpoint when a model source loads it.</summary>
    public static ScalarType? ParseDtype(string name) => name switch
    {
        "auto" => null,
        "float32" or "fp32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" => ScalarType.Float16,
        _ => throw new InvalidInputException($"dtype '{name}' is unknown; expected one of {string.Join(", ", DtypeNames)}"),
    };
}
