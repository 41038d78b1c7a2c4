using OneShotGee.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Training;

/// <summary>Resolves <c>--device</c> and <c>--dtype</c>: auto picks CUDA when libtorch sees a GPU; the dtype defaults
/// to float32 on CPU and bfloat16 on CUDA.</summary>
public static class TrainingDevice
{
    public static Device Resolve(string device) => device switch
    {
        "cpu" => CPU,
        "cuda" when !cuda.is_available() => throw new InvalidInputException(
            "--device cuda: no CUDA device is available (is the CUDA libtorch backend installed? build with -p:TorchBackend=cuda)"),
        "cuda" => CUDA,
        _ => cuda.is_available() ? CUDA : CPU,
    };

    public static ScalarType? Dtype(string? dtype) => dtype switch
    {
        null => null,
        "float32" => ScalarType.Float32,
        "bfloat16" => ScalarType.BFloat16,
        "float16" => ScalarType.Float16,
        _ => throw new InvalidInputException($"--dtype must be float32, bfloat16 or float16, got '{dtype}'"),
    };
}
