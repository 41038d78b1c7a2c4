namespace OneShotGee.Modeling.Scoring;

/// <summary>
/// Teacher-forced scores of one id sequence of length n (natural log, temperature 1):
/// <c>TokenLogprobs[k] = log p(ids[k+1] | ids[..k])</c> and <c>Entropies[k]</c> = entropy of the next-token
/// distribution at position k, for k = 0..n−2.
/// </summary>
public sealed record SequenceScore(IReadOnlyList<int> Ids, IReadOnlyList<double> TokenLogprobs, IReadOnlyList<double> Entropies)
{
    public double SumLogprob => TokenLogprobs.Sum();
}
