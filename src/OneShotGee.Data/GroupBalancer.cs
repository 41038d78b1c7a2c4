using OneShotGee.Core;

namespace OneShotGee.Data;

/// <summary>
/// Downsamples rows to equal counts per group with a seeded shuffle, keeping the selected rows in input order.
/// Rows that share a pair id with a row of every other group (counterfactual sets: twins, or K-tuples with K groups)
/// are kept or dropped together, so every set stays complete; rows that are their own pair are sampled per group.
/// </summary>
public sealed class GroupBalancer(IReadOnlyList<string> groups, int seed)
{
    /// <param name="targetSize">Total rows wanted, divisible by the number of groups; null keeps the most that balance.</param>
    /// <exception cref="InvalidInputException">Target size not divisible, too large, or rows that are neither pairs nor singles.</exception>
    public IReadOnlyList<PreparedRow> Balance(IReadOnlyList<PreparedRow> rows, int? targetSize)
    {
        if (targetSize is { } n && (n <= 0 || n % groups.Count != 0))
            throw new InvalidInputException(
                $"target size {n} must be a positive multiple of the number of groups ({groups.Count}: {string.Join(", ", groups)})");
        if (rows.Count == 0) throw new InvalidInputException($"no rows of any group ({string.Join(", ", groups)}) to balance");
        var perGroup = targetSize / groups.Count;
        var units = Units(rows);
        return units.All(u => u.Count == 1) ? BalanceRows(rows, perGroup) : BalancePairs(rows, units, perGroup);
    }

    IReadOnlyList<PreparedRow> BalanceRows(IReadOnlyList<PreparedRow> rows, int? perGroup)
    {
        var byGroup = groups.ToDictionary(g => g, _ => new List<int>());
        for (var i = 0; i < rows.Count; i++)
        {
            if (!byGroup.TryGetValue(rows[i].Group, out var list))
                throw new InvalidInputException($"row '{rows[i].Id}' has group '{rows[i].Group}', not one of {string.Join(", ", groups)}");
            list.Add(i);
        }
        var empty = groups.FirstOrDefault(g => byGroup[g].Count == 0);
        if (empty is not null) throw new InvalidInputException($"no rows of group '{empty}' to balance against");
        var take = perGroup ?? byGroup[groups.MinBy(g => byGroup[g].Count)!].Count;
        var random = new Random(seed);
        var kept = new List<int>(take * groups.Count);
        foreach (var group in groups)
        {
            var candidates = byGroup[group];
            if (candidates.Count < take)
                throw new InvalidInputException(
                    $"target size {take * groups.Count} needs {take} rows of group '{group}' but only {candidates.Count} exist");
            kept.AddRange(Sample(candidates, take, random));
        }
        kept.Sort();
        return kept.ConvertAll(i => rows[i]);
    }

    IReadOnlyList<PreparedRow> BalancePairs(IReadOnlyList<PreparedRow> rows, List<List<int>> units, int? perGroup)
    {
        foreach (var unit in units)
            if (unit.Count != groups.Count || groups.Any(g => !unit.Exists(i => rows[i].Group == g)))
                throw new InvalidInputException(
                    $"pair '{rows[unit[0]].PairId}' has groups [{string.Join(", ", unit.Select(i => rows[i].Group))}]; " +
                    $"a counterfactual set needs exactly one row of each group ({string.Join(", ", groups)})");
        var take = perGroup ?? units.Count;
        if (units.Count < take)
            throw new InvalidInputException(
                $"target size {take * groups.Count} needs {take} counterfactual sets but only {units.Count} exist");
        var kept = Sample(Enumerable.Range(0, units.Count).ToList(), take, new Random(seed));
        kept.Sort();
        return kept.SelectMany(u => units[u]).Select(i => rows[i]).ToList();
    }

    /// <summary>Row indices grouped by pair id, in order of first appearance.</summary>
    static List<List<int>> Units(IReadOnlyList<PreparedRow> rows)
    {
        var byPair = new Dictionary<string, List<int>>(rows.Count, StringComparer.Ordinal);
        var units = new List<List<int>>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (!byPair.TryGetValue(rows[i].PairId, out var unit))
            {
                unit = [];
                byPair.Add(rows[i].PairId, unit);
                units.Add(unit);
            }
            unit.Add(i);
        }
        return units;
    }

    /// <summary><paramref name="take"/> items drawn without replacement (a partial Fisher–Yates shuffle).</summary>
    static List<int> Sample(List<int> items, int take, Random random)
    {
        var pool = items.ToArray();
        for (var i = 0; i < take; i++)
        {
            var j = random.Next(i, pool.Length);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..take].ToList();
    }
}
