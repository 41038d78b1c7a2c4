using System.Text.Json.Serialization;

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
    /// <summary>The attribute whose groups key this result's per-group metrics (the paired gap's <c>h_{group}</c>); null
    /// for a benchmark without such metrics.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AttributeGroups? Attribute { get; init; }

    /// <summary>
    /// The per-category metrics <c>{metric}[{category}]</c> (BBQ's <c>s_dis[Religion]</c>) grouped under their category
    /// (BBQ's categories are its attributes: Age, Religion, …), category → metric → value; null when there are none.
    /// Derived from <see cref="Metrics"/>, which keeps the flat names.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? Categories
    {
        get
        {
            var byCategory = Metrics.Select(m => (Parts: CategoryOf(m.Key), m.Value)).Where(m => m.Parts is not null)
                .GroupBy(m => m.Parts!.Value.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.ToDictionary(m => m.Parts!.Value.Metric, m => m.Value));
            return byCategory.Count == 0 ? null : byCategory;
        }
    }

    /// <summary>(metric, category) of a name <c>metric[category]</c>; null for any other name.</summary>
    public static (string Metric, string Category)? CategoryOf(string name) =>
        name.IndexOf('[') is var open and > 0 && name.EndsWith(']') ? (name[..open], name[(open + 1)..^1]) : null;

    /// <summary>"subset N of M, seed S" when the numbers come from a subset; null when every item was scored.</summary>
    public string? Subset => SubsetSeed is { } seed ? FormattableString.Invariant($"subset {Items} of {ItemsTotal}, seed {seed}") : null;

    /// <summary>This result recorded as drawn from <paramref name="itemsTotal"/> items under <paramref name="limit"/>.</summary>
    public BenchmarkResult DrawnFrom(int itemsTotal, ItemLimit? limit) =>
        this with { ItemsTotal = itemsTotal, SubsetSeed = limit is not null && Items < itemsTotal ? limit.Seed : null };
}
