using System.Globalization;
using OneShotGee.Core;
using OneShotGee.Data;

namespace OneShotGee.Training;

/// <summary>
/// Cuts the prepared rows into micro-batches that hold every group and keep counterfactual sets (twins, or K-tuples
/// with K groups) whole: the unit of sampling is a set of one row per group (<see cref="CounterfactualSetStream"/>).
/// With source weights (mixed tasks) each step's effective batch takes from each source its share of the step's sets
/// (largest-remainder rounding of weight × sets per step), each source drawing from its own seeded stream; a set's
/// source is its first row's (the detected row; its counterfactual variants follow it). <see cref="Cursor"/> (sets
/// consumed so far) is all an exact resume needs to restore the order.
/// </summary>
public sealed class PairBatchSampler
{
    readonly int groupCount;
    readonly IReadOnlyList<CounterfactualSetStream> streams;
    readonly int[]? setsPerStepBySource;
    readonly Dictionary<string, string> sourceOfSet;

    /// <param name="sourceWeights">Weight per source (any positive scale; sources not named are not sampled), or null
    /// to sample the whole dataset as one.</param>
    /// <param name="setsPerStep">Sets in one step's effective batch; needed with <paramref name="sourceWeights"/>.</param>
    /// <exception cref="InvalidInputException">A broken set, a group without rows, an unknown source, or a source whose
    /// share of a step rounds to no set.</exception>
    public PairBatchSampler(IReadOnlyList<PreparedRow> rows, IReadOnlyList<string> groups, int seed, long cursor = 0,
        IReadOnlyDictionary<string, double>? sourceWeights = null, int setsPerStep = 0)
    {
        (groupCount, Cursor) = (groups.Count, cursor);
        sourceOfSet = rows.GroupBy(r => r.PairId).ToDictionary(s => s.Key, s => s.First().Source);
        if (sourceWeights is null)
        {
            streams = [new CounterfactualSetStream(rows, groups, seed, stream: 0)];
            return;
        }
        Sources = [.. sourceWeights.Keys.Order(StringComparer.Ordinal)];
        var present = sourceOfSet.Values.ToHashSet();
        var unknown = Sources.FirstOrDefault(s => !present.Contains(s));
        if (unknown is not null)
            throw new InvalidInputException(
                $"--source-weights names source '{unknown}', which no set of the data has; sources: {string.Join(", ", present.Order(StringComparer.Ordinal))}");
        streams = [.. Sources.Select((source, i) =>
            new CounterfactualSetStream([.. rows.Where(r => sourceOfSet[r.PairId] == source)], groups, seed, stream: i + 1))];
        setsPerStepBySource = Shares([.. Sources.Select(s => sourceWeights[s])], setsPerStep);
        var starved = Array.IndexOf(setsPerStepBySource, 0);
        if (starved >= 0)
            throw new InvalidInputException(string.Create(CultureInfo.InvariantCulture,
                $"--source-weights: source '{Sources[starved]}' gets no set of a step's {setsPerStep}; raise --effective-batch or its weight"));
    }

    /// <summary>Sets handed out so far, over all epochs (and all sources).</summary>
    public long Cursor { get; private set; }

    /// <summary>The weighted sources in ordinal order; empty without weights.</summary>
    public IReadOnlyList<string> Sources { get; } = [];

    /// <summary>The next <paramref name="count"/> micro-batches of <paramref name="microBatch"/> rows (a multiple of the
    /// group count); with source weights, one step's effective batch.</summary>
    public IReadOnlyList<IReadOnlyList<PreparedRow>> Next(int count, int microBatch)
    {
        var setsPerMicroBatch = microBatch / groupCount;
        var sets = setsPerStepBySource is null ? Unweighted(count * setsPerMicroBatch) : WeightedStep(count * setsPerMicroBatch);
        return [.. sets.Chunk(setsPerMicroBatch).Select(chunk => (IReadOnlyList<PreparedRow>)[.. chunk.SelectMany(s => s)])];
    }

    /// <summary>The source of the set a row belongs to.</summary>
    public string SourceOf(PreparedRow row) => sourceOfSet[row.PairId];

    /// <summary>The mean of per-row values (the rows of <see cref="Next"/>, flattened) by the rows' set sources.</summary>
    public IReadOnlyDictionary<string, double> MeanBySource(IEnumerable<PreparedRow> rows, IReadOnlyList<double> values) =>
        rows.Select((row, i) => (Source: SourceOf(row), Value: values[i])).GroupBy(v => v.Source)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Average(v => v.Value));

    List<IReadOnlyList<PreparedRow>> Unweighted(int sets)
    {
        var taken = new List<IReadOnlyList<PreparedRow>>(sets);
        for (var i = 0; i < sets; i++, Cursor++) taken.Add(streams[0].SetAt(Cursor));
        return taken;
    }

    List<IReadOnlyList<PreparedRow>> WeightedStep(int sets)
    {
        var shares = setsPerStepBySource!;
        var perStep = shares.Sum();
        if (sets != perStep)
            throw new InvalidOperationException($"a weighted step holds {perStep} sets, asked for {sets}");
        var step = Cursor / perStep;
        var taken = new List<IReadOnlyList<PreparedRow>>(sets);
        for (var s = 0; s < streams.Count; s++)
            for (var j = 0; j < shares[s]; j++)
                taken.Add(streams[s].SetAt(step * shares[s] + j));
        Cursor += perStep;
        return taken;
    }

    /// <summary>Largest-remainder (Hamilton) apportionment of <paramref name="total"/> by <paramref name="weights"/>;
    /// ties go to the earlier source.</summary>
    static int[] Shares(double[] weights, int total)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => w / sum * total).ToArray();
        var shares = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - shares[i]).Take(total - shares.Sum()))
            shares[i]++;
        return shares;
    }
}
