using static TorchSharp.torch;

namespace OneShotGee.Modeling.Safetensors;

/// <summary>Moves the raw bytes of a contiguous CPU tensor to or from a stream, in row blocks small enough for a Span.</summary>
static class TensorBytes
{
    public static void Read(Stream stream, Tensor cpuTensor, long maxChunkBytes = 1L << 30) =>
        ForEachBlock(cpuTensor, maxChunkBytes, block => stream.ReadExactly(block.bytes));

    public static void Write(Stream stream, Tensor cpuTensor, long maxChunkBytes = 1L << 30) =>
        ForEachBlock(cpuTensor, maxChunkBytes, block => stream.Write(block.bytes));

    static void ForEachBlock(Tensor t, long maxChunkBytes, Action<Tensor> action)
    {
        var nbytes = t.NumberOfElements * t.ElementSize;
        if (nbytes == 0) return;
        if (nbytes <= maxChunkBytes || t.Dimensions == 0) { action(t); return; }
        // A Span is int-sized: a >2 GiB tensor (a large embedding) moves as slices along dim 0.
        var rows = t.shape[0];
        if (rows == 1) { using var row = t.select(0, 0); ForEachBlock(row, maxChunkBytes, action); return; }
        var rowsPerBlock = Math.Max(1, maxChunkBytes / (nbytes / rows));
        for (long r = 0; r < rows; r += rowsPerBlock)
        {
            using var block = t.narrow(0, r, Math.Min(rowsPerBlock, rows - r));
            ForEachBlock(block, maxChunkBytes, action);
        }
    }
}
