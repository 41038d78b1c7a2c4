using OneShotGee.Evaluation.Paired;

namespace OneShotGee.Evaluation.Reports;

/// <summary>
/// Paired test of a model's entropy gap against the baseline's over the prompt pairs both were measured on. Per pair,
/// the spread is H of the baseline's highest group minus H of its lowest (<see cref="Direction"/>); the test is on the
/// model's spread minus the baseline's: a signed change, so a negative <see cref="MeanChange"/> is a gap that shrank in
/// the baseline's direction, or one that reversed (a model that overshoots to the other side also moves it down; read it
/// with the model's own signed gap). Reuses the paired t and sign-flip tests of the gap itself, seeded like the baseline's.
/// </summary>
public sealed record GapChangeTest(string Direction, int Pairs, double MeanChange, double TStatistic, double TPValue, double PermutationPValue)
{
    /// <summary>The test, or null when the two were not measured on the same prompt set (or share fewer than two pairs).</summary>
    public static GapChangeTest? Between(PairedEntropyResult model, PairedEntropyResult baseline)
    {
        if (model.DatasetSha256 != baseline.DatasetSha256 || !model.Groups.SequenceEqual(baseline.Groups)) return null;
        var high = baseline.GroupEntropies.MaxBy(g => g.Value).Key;
        var low = baseline.GroupEntropies.MinBy(g => g.Value).Key;
        var (hi, lo) = (IndexOf(baseline.Groups, high), IndexOf(baseline.Groups, low));
        var modelPairs = model.PerPair.ToDictionary(p => p.PairId);
        var shared = baseline.PerPair.Where(p => modelPairs.ContainsKey(p.PairId)).ToList();
        if (shared.Count < 2) return null;

        double Spread(PairEntropies pair) => pair.Entropies[hi] - pair.Entropies[lo];
        var test = PairedStatistics.Test("model", [.. shared.Select(p => Spread(modelPairs[p.PairId]))],
            "baseline", [.. shared.Select(Spread)], baseline.Test.PermutationResamples, baseline.Seed);
        return new GapChangeTest($"H[{high}] − H[{low}]", test.Pairs, test.MeanDifference, test.TStatistic, test.TPValue, test.PermutationPValue);
    }

    static int IndexOf(IReadOnlyList<string> groups, string group) => groups.ToList().IndexOf(group);
}
