using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace OneShotGee.Benchmarks;

/// <summary>
/// A derived column: the work one invocation does (tokens, FLOPs) divided by its mean time, scaled for display
/// (e.g. 1e-9 for GFLOP/s). <paramref name="work"/> returns null for rows the column does not apply to.
/// </summary>
sealed class RateColumn(string name, Func<BenchmarkCase, double?> work, double scale = 1.0) : IColumn
{
    public string Id => nameof(RateColumn) + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"{name}: work per invocation / mean time";

    /// <summary>Work per second of a case, or null when it has no work or no result.</summary>
    public double? Rate(Summary summary, BenchmarkCase benchmarkCase) =>
        work(benchmarkCase) is { } w && summary[benchmarkCase]?.ResultStatistics?.Mean is { } meanNs and > 0
            ? w / (meanNs * 1e-9) * scale
            : null;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        Rate(summary, benchmarkCase) is { } rate ? rate.ToString(rate >= 100 ? "N0" : "N2", style.CultureInfo) : "-";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
