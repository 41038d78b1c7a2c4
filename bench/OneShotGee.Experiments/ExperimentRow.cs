namespace OneShotGee.Experiments;

/// <summary>One training run of the grid, measured before (the base model) and after.</summary>
public sealed record ExperimentRow(string Model, Setting Setting, int Seed, Measurement Before, Measurement After, double Seconds)
{
    /// <summary>1 − gap_after / gap_before.</summary>
    public double GapReduction => 1 - After.Gap / Before.Gap;

    public double PerplexityChange => After.Perplexity / Before.Perplexity - 1;

    public double? AccuracyChange => After.Accuracy - Before.Accuracy;

    public double? GenderedPerplexityChange => After.GenderedPerplexity / Before.GenderedPerplexity - 1;
}
