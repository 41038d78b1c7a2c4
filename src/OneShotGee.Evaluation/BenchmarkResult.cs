namespace OneShotGee.Evaluation;

/// <summary>
/// One benchmark's numbers for one model, as report.json and report.md show them. <see cref="Metrics"/> holds the
/// benchmark's standard metrics by their usual names (e.g. <c>pct_stereotype</c>, <c>ss</c>, <c>lms</c>, <c>icat</c>).
/// </summary>
/// <param name="Benchmark">Short id: crows, winobias, winogender, stereoset, bbq, paired, perplexity, gsm8k, math500.</param>
/// <param name="Items">How many items (pairs, sentences, questions) were scored.</param>
/// <param name="DatasetSha256">SHA-256 of the data file(s) read, so a report names exactly what it measured.</param>
/// <param name="ItemsTotal">How many items the data holds; null when not recorded (reports before item limits).</param>
/// <param name="SubsetSeed">The seed of the <see cref="ItemLimit"/> draw when only a subset was scored; null: every item.</param>
public sealed record BenchmarkResult(
    string Benchmark,
    IReadOnlyDictionary<string, double> Metrics,
    int Items,
    string DatasetSha256,
    int? ItemsTotal = null,
    int? SubsetSeed = null)
{
    /// <summary>"subset N of M, seed S" when the numbers come from a subset; null when every item was scored.</summary>
    public string? Subset => SubsetSeed is { } seed ? FormattableString.Invariant($"subset {Items} of {ItemsTotal}, seed {seed}") : null;

    /// <summary>This result recorded as drawn from <paramref name="itemsTotal"/> items under <paramref name="limit"/>.</summary>
    public BenchmarkResult DrawnFrom(int itemsTotal, ItemLimit? limit) =>
        this with { ItemsTotal = itemsTotal, SubsetSeed = limit is not null && Items < itemsTotal ? limit.Seed : null };
}
