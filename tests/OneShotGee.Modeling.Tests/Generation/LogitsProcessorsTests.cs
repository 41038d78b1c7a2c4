using OneShotGee.Modeling.Generation;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Generation;

public sealed class LogitsProcessorsTests
{
    static float[] Values(Tensor t) => t.data<float>().ToArray();

    [Fact]
    public void Repetition_penalty_divides_positive_and_multiplies_negative_seen_logits_once()
    {
        using var logits = tensor(new float[] { 2f, -1f, 3f, -4f }, [1, 4]);
        using var seen = tensor(new long[] { 1, 0, 1 }, [1, 3]);
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

    [Theory]
    [InlineData(0.1)] // reached within the 375 candidates (an eighth of the vocabulary)
    [InlineData(0.3)] // needs more than 375 tokens: the histograms
    [InlineData(0.6)]
    [InlineData(0.999)]
    public void Top_p_keeps_the_nucleus_of_a_wide_distribution(double p)
    {
        // Weights 3000, 2999, …, 1 over 3,000 tokens; the nucleus in float64: the shortest prefix whose mass reaches p.
        const int n = 3000;
        var total = n * (n + 1) / 2.0;
        var (mass, nucleus) = (0.0, 0);
        while (mass < p) mass += (n - nucleus++) / total;
        using var logits = tensor(Enumerable.Range(0, n).Select(i => (float)Math.Log((n - i) / total)).ToArray(), [1, n]);

        using var result = LogitsProcessors.TopP(logits, p);

        var kept = Values(result).Select(v => !float.IsNegativeInfinity(v)).ToArray();
        Assert.Equal(Enumerable.Range(0, n).Select(i => i < nucleus), kept);
        Assert.True(p < 0.2 ? nucleus < LogitsProcessors.NucleusCandidates(n) : nucleus > LogitsProcessors.NucleusCandidates(n));
    }

    [Fact]
    public void Top_p_finds_each_rows_nucleus_in_a_batch_of_flat_to_peaked_rows()
    {
        // Rows from near-uniform (an untrained model's) to one dominant token; reference: HF's rule in float64 on a sort.
        const int vocab = 5000;
        double[] scales = [0.01, 1, 5, 40];
        using var generator = new Generator(3);
        using var logits = randn([scales.Length, vocab], generator: generator) * tensor(scales.Select(s => (float)s).ToArray()).unsqueeze(1);

        using var result = LogitsProcessors.TopP(logits, 0.9);

        for (var row = 0; row < scales.Length; row++)
        {
            var z = logits[row].to(ScalarType.Float64).data<double>().ToArray();
            var (max, order) = (z.Max(), Enumerable.Range(0, vocab).OrderByDescending(i => z[i]).ToArray());
            var total = z.Sum(v => Math.Exp(v - max));
            var (mass, expected) = (0.0, new bool[vocab]);
            foreach (var i in order.TakeWhile(_ => mass < 0.9)) { expected[i] = true; mass += Math.Exp(z[i] - max) / total; }
            Assert.Equal(expected, Values(result[row]).Select(v => !float.IsNegativeInfinity(v)));
        }
    }

    [Fact]
    public void Draw_follows_the_softmax_probabilities_and_never_picks_a_masked_token()
    {
        const int rows = 40_000;
        double[] probabilities = [0.1, 0.2, 0.7];
        using var logits = tensor(probabilities.Select(q => (float)Math.Log(q)).Append(float.NegativeInfinity).ToArray(), [1, 4]).expand(rows, 4);
        using var generator = new Generator(7);

        var counts = LogitsProcessors.Draw(logits, generator).bincount(null, 4).data<long>().ToArray();

        Assert.Equal(0, counts[3]);
        for (var v = 0; v < 3; v++) Assert.Equal(probabilities[v], counts[v] / (double)rows, 2); // σ ≤ 0.0023
    }

    [Fact]
    public void Entropy_of_uniform_is_log_n()
    {
        using var logits = zeros(2, 8);
        using var h = LogitsProcessors.Entropy(logits);
        Assert.All(h.data<double>().ToArray(), x => Assert.Equal(Math.Log(8), x, 12));
    }
}
