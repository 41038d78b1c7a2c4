using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Llama;

public sealed class AttentionMaskTests
{
    [Fact]
    public void The_last_two_queries_see_earlier_non_pad_keys_only()
    {
        using var scope = NewDisposeScope();
        var padding = tensor(new long[] { 0, 1, 1, 1, 1, 1 }, [2, 3]); // row 0 has one left pad

        var mask = AttentionMask.Causal(padding, 2, ScalarType.Float32);

        // Queries are positions 1 and 2 of 3 keys; 1 = may attend.
        float[] allowed = [0, 1, 0, 0, 1, 1, /* row 1 */ 1, 1, 0, 1, 1, 1];
        var min = finfo(ScalarType.Float32).min;
        Assert.Equal([2L, 1, 2, 3], mask.shape);
        Assert.Equal(allowed.Select(a => a == 1 ? 0f : (float)min), mask.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Position_ids_count_non_pad_tokens_and_pads_read_one()
    {
        using var scope = NewDisposeScope();
        var padding = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1 }, [2, 4]);
        Assert.Equal([1L, 1, 0, 1, 0, 1, 2, 3], AttentionMask.PositionIds(padding, 4).flatten().data<long>().ToArray());
        Assert.Equal([1L, 3], AttentionMask.PositionIds(padding, 1).flatten().data<long>().ToArray());
    }
}
