using OneShotGee.Core;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>Token id sequences of different lengths, left-padded into ids and a 0/1 mask [b, longest].</summary>
public static class PaddedBatch
{
    public const long PadId = 0; // any valid id: padded positions are masked out

    public static (Tensor Ids, Tensor Mask) Left(IReadOnlyList<IReadOnlyList<int>> sequences, int vocabSize, Device device)
    {
        if (sequences.Count == 0) throw new InvalidInputException("no token sequences given");
        var longest = sequences.Max(s => s.Count);
        var ids = new long[sequences.Count * longest];
        var mask = new long[sequences.Count * longest];
        for (var row = 0; row < sequences.Count; row++)
        {
            var seq = sequences[row];
            if (seq.Count == 0) throw new InvalidInputException($"token sequence {row} is empty");
            var offset = row * longest + longest - seq.Count;
            for (var i = 0; i < seq.Count; i++)
            {
                if (seq[i] < 0 || seq[i] >= vocabSize)
                    throw new InvalidInputException($"token sequence {row}: id {seq[i]} at position {i} is outside the vocabulary (0..{vocabSize - 1})");
                ids[offset + i] = seq[i];
                mask[offset + i] = 1;
            }
        }
        return (tensor(ids, [sequences.Count, longest], device: device), tensor(mask, [sequences.Count, longest], device: device));
    }
}
