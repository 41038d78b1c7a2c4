using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Gee;

/// <summary>
/// Marks the logit positions whose distributions produced the generated tokens of each sequence.
/// </summary>
/// <remarks>
/// Off by one on purpose: in a causal LM the logits at position t predict token t + 1. For a sequence laid out
/// as [pad… prompt… response… pad…] whose generated tokens occupy positions start … start + length − 1, the
/// distributions that produced them sit at positions start − 1 … start + length − 2. The last generated token's
/// own position (which predicts a token never sampled), the prompt and all padding are excluded. The same layout
/// serves left-padded prompts (every start equals the padded prompt width) and right-padded ones (per-sample start).
/// </remarks>
public static class GenerationMask
{
    /// <summary>
    /// A bool mask [batch, sequenceLength] from the index of each sample's first generated token
    /// (<paramref name="responseStarts"/>, ≥ 1 since a prompt token must precede it) and its number of generated
    /// tokens (<paramref name="responseLengths"/>).
    /// </summary>
    public static Tensor FromSpans(
        IReadOnlyList<int> responseStarts, IReadOnlyList<int> responseLengths, long sequenceLength, Device? device = null)
    {
        if (responseStarts.Count != responseLengths.Count)
            throw new InvalidInputException(
                $"GenerationMask got {responseStarts.Count} response starts but {responseLengths.Count} response lengths.");
        var mask = new bool[responseStarts.Count * sequenceLength];
        for (var i = 0; i < responseStarts.Count; i++)
        {
            int start = responseStarts[i], length = responseLengths[i];
            if (start < 1 || length < 0 || start + length > sequenceLength)
                throw new InvalidInputException(
                    $"Sample {i}: response start {start} and length {length} must satisfy 1 <= start and " +
                    $"start + length <= sequence length {sequenceLength}.");
            Array.Fill(mask, true, (int)(i * sequenceLength) + start - 1, length);
        }
        return tensor(mask, [responseStarts.Count, sequenceLength], device: device);
    }

    /// <summary>
    /// The same mask from a bool mask [batch, seq] that is set at the generated tokens themselves:
    /// it is shifted one position left, so position t is set when token t + 1 was generated.
    /// </summary>
    public static Tensor FromResponseTokens(Tensor responseTokenMask)
    {
        if (responseTokenMask.dim() != 2)
            throw new InvalidInputException(
                $"Tensor responseTokenMask must be [batch, seq], got [{string.Join(", ", responseTokenMask.shape)}].");
        using var scope = NewDisposeScope();
        var generated = responseTokenMask.to_type(ScalarType.Bool);
        if (generated[.., 0].any().item<bool>())
            throw new InvalidInputException("Tensor responseTokenMask marks position 0 as generated; no logits precede it.");
        var lastColumn = zeros([generated.shape[0], 1], ScalarType.Bool, generated.device);
        return cat([generated[.., 1..], lastColumn], dim: 1).MoveToOuterDisposeScope();
    }
}
