using OneShotGee.Modeling.Generation;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Generation;

public sealed class LogitsProcessorsTests
{
    static float[] Values(Tensor t) => t.data<float>().ToArray();

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_seen_logits()
    {
        using var logits = tensor(new float[] { 2f, -1f, 3f, -4f }, [1, 4]);
        using var seen = tensor(new[] { true, true, false, false }, [1, 4]);
        using var result = LogitsProcessors.RepetitionPenalty(logits, seen, 2.0);
        Assert.Equal([1f, -2f, 3f, -4f], Values(result));
    }

    [Fact]
    public void Top_k_keeps_the_k_largest()
    {
        using var logits = tensor(new float[] { 1f, 5f, 3f, 4f }, [1, 4]);
        using var result = LogitsProcessors.TopK(logits, 2);
        Assert.Equal([float.NegativeInfinity, 5f, float.NegativeInfinity, 4f], Values(result));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_nucleus_reaching_p()
    {
        // probabilities 0.5, 0.3, 0.15, 0.05
        using var logits = tensor(new[] { 0.5, 0.3, 0.15, 0.05 }.Select(p => (float)Math.Log(p)).ToArray(), [1, 4]);
        using var keepTwo = LogitsProcessors.TopP(logits, 0.75);
        Assert.Equal([false, false, true, true], Values(keepTwo).Select(float.IsNegativeInfinity));
        using var keepOne = LogitsProcessors.TopP(logits, 0.01);
        Assert.Equal([false, true, true, true], Values(keepOne).Select(float.IsNegativeInfinity));
    }

    [Fact]
    public void Entropy_of_uniform_is_log_n()
    {
        using var logits = zeros(2, 8);
        using var h = LogitsProcessors.Entropy(logits);
        Assert.All(h.data<double>().ToArray(), x => Assert.Equal(Math.Log(8), x, 12));
    }
}
