namespace OneShotGee.Evaluation.Likelihood;

/// <summary>
/// The log-likelihood (natural log) of the scored tokens of one text: a whole sentence, or a continuation given its
/// context. <see cref="MeanEntropy"/> is the mean entropy (nats) of the next-token distributions that predicted them.
/// </summary>
public sealed record TextLikelihood(double LogLikelihood, int TokenCount, double MeanEntropy)
{
    /// <summary>Log-likelihood per scored token (the length-normalised score StereoSet uses).</summary>
    public double MeanLogLikelihood => LogLikelihood / TokenCount;
}
