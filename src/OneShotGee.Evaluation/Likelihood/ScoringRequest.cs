namespace OneShotGee.Evaluation.Likelihood;

/// <summary>Ids to run through the model; the tokens from <see cref="ScoredFrom"/> on are the ones scored.</summary>
readonly record struct ScoringRequest(IReadOnlyList<int> Ids, int ScoredFrom);
