using OneShotGee.Core;
using OneShotGee.Modeling.Runtime;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Runtime;

public class ComputeTargetTests
{
    [Fact]
    public void AutoDeviceIsCudaOnlyWhenAGpuIsUsable() =>
        Assert.Equal(cuda.is_available() ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU, ComputeTarget.ParseDevice("auto").type);

    [Fact]
    public void CudaWithoutAGpuIsRefusedWithTheReason()
    {
        if (cuda.is_available()) return; // the refusal only exists on machines without a GPU
        var error = Assert.Throws<InvalidInputException>(() => ComputeTarget.ParseDevice("cuda"));
        Assert.Contains("no CUDA device", error.Message);
    }

    [Theory]
    [InlineData("float32", ScalarType.Float32)]
    [InlineData("bf16", ScalarType.BFloat16)]
    [InlineData("float16", ScalarType.Float16)]
    public void DtypesParseByNameAndAlias(string name, ScalarType expected) => Assert.Equal(expected, ComputeTarget.ParseDtype(name));

    [Fact]
    public void AutoDtypeDefersToTheModelDefault() => Assert.Null(ComputeTarget.ParseDtype("auto"));

    // Issue 13: a float32 LoRA merge evaluated with dtype auto on a GPU must not be rounded to bfloat16.
    [Theory]
    [InlineData("cpu", ScalarType.BFloat16, ScalarType.Float32)]
    [InlineData("cpu", ScalarType.Float32, ScalarType.Float32)]
    [InlineData("cuda", ScalarType.Float32, ScalarType.Float32)]
    [InlineData("cuda", ScalarType.Float64, ScalarType.Float32)]
    [InlineData("cuda", ScalarType.BFloat16, ScalarType.BFloat16)]
    [InlineData("cuda", ScalarType.Float16, ScalarType.BFloat16)]
    public void AutoKeepsAFloat32CheckpointInFloat32OnCuda(string device, ScalarType stored, ScalarType expected) =>
        Assert.Equal(expected, ComputeTarget.AutoDtype(new Device(device), stored));

    [Theory]
    [InlineData("tpu")]
    [InlineData("float8")]
    public void UnknownNamesAreRejectedWithTheChoices(string name)
    {
        var error = Assert.Throws<InvalidInputException>(() =>
        {
            if (name == "tpu") ComputeTarget.ParseDevice(name);
            else ComputeTarget.ParseDtype(name);
        });
        Assert.Contains(name, error.Message);
        Assert.Contains("auto", error.Message);
    }
}
