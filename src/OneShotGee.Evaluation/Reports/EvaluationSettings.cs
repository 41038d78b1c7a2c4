using OneShotGee.Evaluation.Paired;

namespace OneShotGee.Evaluation.Reports;

/// <summary>
/// The settings a model's numbers depend on, recorded beside them in report.json: the item limit and its seed (null
/// when every item was scored), the paired gap's decoding, and the response length of each task benchmark evaluated.
/// </summary>
public sealed record EvaluationSettings(
    int? Limit,
    int? LimitSeed,
    PairedEntropyOptions PairedOptions,
    IReadOnlyDictionary<string, int> TaskMaxNewTokens);
