using System.Text.Json;

namespace OneShotGee.Evaluation.Reports;

/// <summary>A mean and the sample standard deviation of one number over training seeds.</summary>
public sealed record MeanSd(double Mean, double Sd)
{
    public static MeanSd Of(IReadOnlyCollection<double> values)
    {
        var mean = values.Average();
        var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new MeanSd(mean, sd);
    }
}

/// <summary>
/// One training setting of the experiment grid (docs/experiments.md) over its seeds, measured against the base model:
/// relative gap reduction, relative perplexity change on neutral held-out text, the change of task accuracy (points
/// as a fraction) and of the gendered documents' perplexity, where the model has them.
/// </summary>
public sealed record SeedSpread(
    string Model, string Method, double Lambda, double KlCoef, double LearningRate, int Steps, IReadOnlyList<int> Seeds,
    MeanSd GapReduction, MeanSd PerplexityChange, MeanSd? AccuracyChange, MeanSd? GenderedPerplexityChange)
{
    public static IReadOnlyList<SeedSpread> ReadAll(Stream json) =>
        JsonSerializer.Deserialize<List<SeedSpread>>(json, ReportJson.Options) ?? throw new InvalidDataException("no seed spreads");

    public static string Serialize(IReadOnlyList<SeedSpread> spreads) => JsonSerializer.Serialize(spreads, ReportJson.Options);
}
