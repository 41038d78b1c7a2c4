namespace OneShotGee.Core.Gee;

/// <summary>
/// λ_t = λ_0 · gap_t / gap_0 when <see cref="GeeOptions.AutoAnneal"/> (the seed's schedule), else λ_0 every step;
/// gap = max_g H_g − min_g H_g. λ shrinks as the groups' entropies converge and is never negative.
/// gap_0 is the first gap that is greater than 0: until one is seen (a batch with one group present, or exactly
/// equal entropies) the ratio is undefined and λ_0 is used unchanged.
/// </summary>
public sealed class LambdaAnnealer(GeeOptions options)
{
    readonly GeeOptions options = options.Validated();

    /// <summary>gap_0, or null while no gap above 0 has been observed.</summary>
    public double? InitialGap { get; private set; }

    /// <summary>Records this step's gap and returns the λ to use for it.</summary>
    public double Next(double gap)
    {
        if (!options.AutoAnneal) return options.Lambda;
        if (InitialGap is null && gap > 0) InitialGap = gap;
        if (InitialGap is not { } gap0) return options.Lambda;
        return Math.Max(0, options.Lambda * gap / gap0);
    }
}
