using OneShotGee.Core;
using OneShotGee.Data;

namespace OneShotGee.Training;

/// <summary>
/// An endless, seeded order of counterfactual sets (one row per group) drawn from some rows. With <c>pair_id</c>s the
/// sets are those rows' sets; without them (every pair id unique) each epoch zips the groups' shuffled rows into sets.
/// Each epoch is a seeded shuffle of the sets; <see cref="SetAt"/> depends only on the position, so a position is all
/// an exact resume needs.
/// </summary>
sealed class CounterfactualSetStream
{
    readonly IReadOnlyList<IReadOnlyList<PreparedRow>>? sets;
    readonly IReadOnlyList<IReadOnlyList<PreparedRow>> rowsByGroup;
    readonly int seed;
    readonly long stream;
    IReadOnlyList<IReadOnlyList<PreparedRow>>? epochSets;
    long epochOfSets = -1;

    /// <param name="stream">Which shuffle stream of <paramref name="seed"/> the epochs draw from (0 for the whole dataset).</param>
    public CounterfactualSetStream(IReadOnlyList<PreparedRow> rows, IReadOnlyList<string> groups, int seed, long stream)
    {
        (this.seed, this.stream) = (seed, stream);
        rowsByGroup = [.. groups.Select(g => rows.Where(r => r.Group == g).ToList())];
        var byPairId = rows.GroupBy(r => r.PairId).ToList();
        if (byPairId.Count == rows.Count)
            SetsPerEpoch = rowsByGroup.Min(g => g.Count);
        else
        {
            foreach (var set in byPairId)
                if (set.Count() != groups.Count || groups.Any(g => set.Count(r => r.Group == g) != 1))
                    throw new InvalidInputException(
                        $"pair_id '{set.Key}' holds groups [{string.Join(", ", set.Select(r => r.Group))}]; " +
                        $"a counterfactual set must hold exactly one row of each group [{string.Join(", ", groups)}]");
            sets = [.. byPairId.Select(p => (IReadOnlyList<PreparedRow>)[.. groups.Select(g => p.Single(r => r.Group == g))])];
            SetsPerEpoch = sets.Count;
        }
        if (SetsPerEpoch == 0) throw new InvalidInputException("the prepared dataset has a group without rows");
    }

    public int SetsPerEpoch { get; }

    public IReadOnlyList<PreparedRow> SetAt(long position)
    {
        var epoch = position / SetsPerEpoch;
        if (epoch != epochOfSets) (epochSets, epochOfSets) = (Shuffled(epoch), epoch);
        return epochSets![(int)(position % SetsPerEpoch)];
    }

    IReadOnlyList<IReadOnlyList<PreparedRow>> Shuffled(long epoch)
    {
        var random = new Random(SeedSequence.Derive(seed, epoch, stream));
        if (sets is not null) return Shuffle(sets, random);
        var shuffled = rowsByGroup.Select(g => Shuffle(g, random)).ToArray();
        return [.. Enumerable.Range(0, SetsPerEpoch).Select(i => (IReadOnlyList<PreparedRow>)[.. shuffled.Select(g => g[i])])];
    }

    static T[] Shuffle<T>(IReadOnlyList<T> items, Random random)
    {
        var copy = items.ToArray();
        random.Shuffle(copy);
        return copy;
    }
}
