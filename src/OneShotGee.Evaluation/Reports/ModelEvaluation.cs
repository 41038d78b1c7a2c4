using OneShotGee.Evaluation.Paired;
using OneShotGee.Modeling.Loading;

namespace OneShotGee.Evaluation.Reports;

/// <summary>Everything measured on one model. <see cref="Paired"/> is the paired-gap detail behind its <c>paired</c> benchmark.</summary>
/// <param name="Name">The column name in reports: baseline, em, gee…</param>
/// <param name="Source">
/// Where the model came from, for people: in a run its artifact name (<c>base-model</c>, <c>model-gee</c>), the same on
/// every host; for <c>oneshotgee evaluate</c> its full directory. Identity and comparability come from the ids.
/// </param>
/// <param name="ModelId">See <see cref="ModelIdentity"/>.</param>
/// <param name="TokenizerId">See <see cref="ModelIdentity.Tokenizer"/>; null when unknown.</param>
/// <param name="Settings">How the model was evaluated; null when not recorded.</param>
public sealed record ModelEvaluation(
    string Name,
    string Source,
    string ModelId,
    IReadOnlyList<BenchmarkResult> Benchmarks,
    PairedEntropyResult? Paired = null,
    string? TokenizerId = null,
    EvaluationSettings? Settings = null);
