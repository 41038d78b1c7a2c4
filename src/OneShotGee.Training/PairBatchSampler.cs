using OneShotGee.Core;
using OneShotGee.Data;

namespace OneShotGee.Training;

/// <summary>
/// Cuts the prepared rows into micro-batches that hold every group and keep counterfactual twins together.
/// The unit of sampling is a pair: one row per group. With <c>pair_id</c>s the pairs are the twins; without them
/// (every pair id unique) each epoch zips the groups' shuffled rows into pairs. Each epoch is a seeded shuffle of
/// the pairs, and <see cref="Cursor"/> (pairs consumed so far) is all an exact resume needs to restore the order.
/// </summary>
public sealed class PairBatchSampler
{
    readonly IReadOnlyList<string> groups;
    readonly IReadOnlyList<IReadOnlyList<PreparedRow>>? twins;
    readonly IReadOnlyList<IReadOnlyList<PreparedRow>> rowsByGroup;
    readonly int seed;
    IReadOnlyList<IReadOnlyList<PreparedRow>>? epochPairs;
    long epochOfPairs = -1;

    public PairBatchSampler(IReadOnlyList<PreparedRow> rows, IReadOnlyList<string> groups, int seed, long cursor = 0)
    {
        (this.groups, this.seed, Cursor) = (groups, seed, cursor);
        rowsByGroup = [.. groups.Select(g => rows.Where(r => r.Group == g).ToList())];
        var byPairId = rows.GroupBy(r => r.PairId).ToList();
        if (byPairId.Count == rows.Count)
            PairsPerEpoch = rowsByGroup.Min(g => g.Count);
        else
        {
            foreach (var pair in byPairId)
                if (pair.Count() != groups.Count || groups.Any(g => pair.Count(r => r.Group == g) != 1))
                    throw new InvalidInputException(
                        $"pair_id '{pair.Key}' holds groups [{string.Join(", ", pair.Select(r => r.Group))}]; " +
                        $"a twin set must hold exactly one row of each group [{string.Join(", ", groups)}]");
            twins = [.. byPairId.Select(p => (IReadOnlyList<PreparedRow>)[.. groups.Select(g => p.Single(r => r.Group == g))])];
            PairsPerEpoch = twins.Count;
        }
        if (PairsPerEpoch == 0) throw new InvalidInputException("the prepared dataset has a group without rows");
    }

    /// <summary>Pairs handed out so far, over all epochs.</summary>
    public long Cursor { get; private set; }

    public int PairsPerEpoch { get; }

    /// <summary>The next <paramref name="count"/> micro-batches of <paramref name="microBatch"/> rows (a multiple of the group count).</summary>
    public IReadOnlyList<IReadOnlyList<PreparedRow>> Next(int count, int microBatch)
    {
        var pairsPerMicroBatch = microBatch / groups.Count;
        var batches = new List<IReadOnlyList<PreparedRow>>(count);
        for (var b = 0; b < count; b++)
        {
            var rows = new List<PreparedRow>(microBatch);
            for (var p = 0; p < pairsPerMicroBatch; p++, Cursor++) rows.AddRange(PairAt(Cursor));
            batches.Add(rows);
        }
        return batches;
    }

    IReadOnlyList<PreparedRow> PairAt(long cursor)
    {
        var epoch = cursor / PairsPerEpoch;
        if (epoch != epochOfPairs) (epochPairs, epochOfPairs) = (Shuffled(epoch), epoch);
        return epochPairs![(int)(cursor % PairsPerEpoch)];
    }

    IReadOnlyList<IReadOnlyList<PreparedRow>> Shuffled(long epoch)
    {
        var random = new Random(SeedSequence.Derive(seed, epoch, 0));
        if (twins is not null) return Shuffle(twins, random);
        var shuffled = rowsByGroup.Select(g => Shuffle(g, random)).ToArray();
        return [.. Enumerable.Range(0, PairsPerEpoch).Select(i => (IReadOnlyList<PreparedRow>)[.. shuffled.Select(g => g[i])])];
    }

    static T[] Shuffle<T>(IReadOnlyList<T> items, Random random)
    {
        var copy = items.ToArray();
        random.Shuffle(copy);
        return copy;
    }
}
