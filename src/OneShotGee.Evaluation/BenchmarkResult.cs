namespace OneShotGee.Evaluation;

/// <summary>
/// One benchmark's numbers for one model, as report.json and report.md show them. <see cref="Metrics"/> holds the
/// benchmark's standard metrics by their usual names (e.g. <c>pct_stereotype</c>, <c>ss</c>, <c>lms</c>, <c>icat</c>).
/// </summary>
/// <param name="Benchmark">Short id: crows, winobias, winogender, stereoset, bbq, paired, perplexity, gsm8k, math500.</param>
/// <param name="Items">How many items (pairs, sentences, questions) were scored.</param>
/// <param name="DatasetSha256">SHA-256 of the data file(s) read, so a report names exactly what it measured.</param>
public sealed record BenchmarkResult(
    string Benchmark,
    IReadOnlyDictionary<string, double> Metrics,
    int Items,
    string DatasetSha256);
