using OneShotGee.Core;

namespace OneShotGee.Evaluation;

/// <summary>
/// lm-evaluation-harness's <c>--limit</c>, drawn at random instead of taken from the top of the file: at most
/// <see cref="Count"/> items of a benchmark, a seeded sample kept in file order. Every model evaluated with the same
/// limit and seed scores the same items, so comparisons between them stay paired.
/// </summary>
public sealed record ItemLimit
{
    public ItemLimit(int count, int seed)
    {
        if (count < 1) throw new InvalidInputException($"--limit must be at least 1, got {count}");
        (Count, Seed) = (count, seed);
    }

    public int Count { get; }
    public int Seed { get; }

    /// <summary>All the items when there are no more than <see cref="Count"/>, else the seeded sample in their order.</summary>
    public IReadOnlyList<T> Draw<T>(IReadOnlyList<T> items)
    {
        if (items.Count <= Count) return items;
        var random = new Random(Seed);
        return [.. Enumerable.Range(0, items.Count).OrderBy(_ => random.Next()).Take(Count).Order().Select(i => items[i])];
    }
}
