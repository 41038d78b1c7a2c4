using OneShotGee.Core.Gee;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Tests.Gee;

public class GenerationMaskTests
{
    // Left-padded prompts of width 4: s0 = [pad p p p r r r pad], s1 = [p p p p r r r r].
    // Logits at t predict token t + 1, so the generated tokens at 4..6 and 4..7 came from positions 3..5 and 3..6.
    static readonly bool[] LeftPaddedExpected =
    [
        false, false, false, true, true, true, false, false,
        false, false, false, true, true, true, true, false,
    ];

    // Unpadded prompts of different lengths: s0 = [p p r r pad pad pad pad], s1 = [p p p p p r r r].
    static readonly bool[] RightPaddedExpected =
    [
        false, true, true, false, false, false, false, false,
        false, false, false, false, true, true, true, false,
    ];

    [Fact]
    public void SpansOfLeftPaddedPromptsSelectThePredictingPositions()
    {
        using var mask = GenerationMask.FromSpans([4, 4], [3, 4], 8);
        Assert.Equal(LeftPaddedExpected, mask.data<bool>().ToArray());
    }

    [Fact]
    public void SpansOfRightPaddedSequencesSelectThePredictingPositions()
    {
        using var mask = GenerationMask.FromSpans([2, 5], [2, 3], 8);
        Assert.Equal(RightPaddedExpected, mask.data<bool>().ToArray());
    }

    [Fact]
    public void ResponseTokenMaskIsShiftedOneLeft()
    {
        using var leftPadded = tensor(new[]
        {
            false, false, false, false, true, true, true, false,
            false, false, false, false, true, true, true, true,
        }, [2, 8]);
        using var rightPadded = tensor(new[]
        {
            false, false, true, true, false, false, false, false,
            false, false, false, false, false, true, true, true,
        }, [2, 8]);
        using var left = GenerationMask.FromResponseTokens(leftPadded);
        using var right = GenerationMask.FromResponseTokens(rightPadded);
        Assert.Equal(LeftPaddedExpected, left.data<bool>().ToArray());
        Assert.Equal(RightPaddedExpected, right.data<bool>().ToArray());
    }

    [Fact]
    public void PaddingAndPromptDoNotDiluteTheSampleEntropy()
    {
        using var entropies = tensor(new double[]
        {
            9, 9, 9, 1, 2, 3, 9, 9,
            9, 9, 9, 4, 4, 8, 8, 9,
        }, [2, 8]);
        using var mask = GenerationMask.FromSpans([4, 4], [3, 4], 8);
        using var sample = TokenEntropy.MeanOverGenerated(entropies, mask);
        // (1 + 2 + 3) / 3 and (4 + 4 + 8 + 8) / 4, not divided by the full length 8.
        Assert.Equal(new[] { 2.0, 6.0 }, sample.data<double>().ToArray());
    }

    [Fact]
    public void SampleWithoutGeneratedTokensIsAnError()
    {
        using var entropies = ones(2, 5, ScalarType.Float64);
        using var mask = GenerationMask.FromSpans([2, 3], [2, 0], 5);
        var error = Assert.Throws<InvalidInputException>(() => TokenEntropy.MeanOverGenerated(entropies, mask));
        Assert.Contains("Sample 1", error.Message);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(2, 4)]
    [InlineData(1, -1)]
    public void SpansOutsideTheSequenceAreRejected(int start, int length)
    {
        var error = Assert.Throws<InvalidInputException>(() => GenerationMask.FromSpans([start], [length], 5));
        Assert.Contains("Sample 0", error.Message);
    }

    [Fact]
    public void GeneratedTokenAtPositionZeroIsRejected()
    {
        using var tokens = tensor(new[] { true, true, false }, [1, 3]);
        Assert.Throws<InvalidInputException>(() => GenerationMask.FromResponseTokens(tokens));
    }
}
