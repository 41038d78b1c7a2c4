using OneShotGee.Modeling.Safetensors;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Safetensors;

public sealed class TensorBytesTests
{
    [Theory]
    [InlineData(1L << 30)] // whole tensor at once
    [InlineData(24L)]      // row blocks
    [InlineData(4L)]       // single rows split further
    public void Blocked_write_and_read_match_the_little_endian_float_bytes(long maxChunkBytes)
    {
        using var t = arange(24, ScalarType.Float32).reshape(2, 3, 4);
        using var stream = new MemoryStream();
        TensorBytes.Write(stream, t, maxChunkBytes);
        var expected = Enumerable.Range(0, 24).SelectMany(i => BitConverter.GetBytes((float)i)).ToArray();
        Assert.Equal(expected, stream.ToArray());

        stream.Position = 0;
        using var back = empty(2, 3, 4);
        TensorBytes.Read(stream, back, maxChunkBytes);
        Assert.True(back.eq(t).all().item<bool>());
    }
}
