using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace OneShotGee.Benchmarks;

/// <summary>Adds "Op/s"; with <c>OperationsPerInvoke</c> set to the rows or tokens an invocation handles, it reads as rows/s or tokens/s.</summary>
sealed class OperationsPerSecondConfig : ManualConfig
{
    public OperationsPerSecondConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
}
