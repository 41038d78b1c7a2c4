using OneShotGee.Evaluation.Reports;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Pipeline;

/// <summary>
/// The demo's settings measured over training seeds, so that the demo can show its one run beside the spread: for gender
/// the experiment grid (bench/OneShotGee.Experiments, the demo rows of its summary.json, the table of docs/experiments.md),
/// for gender-nb one <c>oneshotgee run</c> of the demo's run.json with a variant per method and seed (docs/demo-model.md,
/// "Other attributes").
/// </summary>
public static class DemoSeedSpread
{
    public const string ResourceName = "DemoSeedSpread.json", GenderNbResourceName = "DemoSeedSpread.gender-nb.json";
    public const string GenderNbAttribute = "gender-nb";

    public static IReadOnlyList<SeedSpread> All { get; } = Read(ResourceName);

    /// <summary>The gender-nb demo's EM and GEE over training seeds 1–5.</summary>
    public static IReadOnlyList<SeedSpread> GenderNb { get; } = Read(GenderNbResourceName);

    /// <summary>The grid's row for a demo variant trained with λ, β, learning rate and steps; null if the grid lacks it.</summary>
    public static SeedSpread? For(double lambda, double klCoef, double learningRate, int steps) => Find(All, lambda, klCoef, learningRate, steps);

    /// <summary>The rows of the demo's own variants for <paramref name="attribute"/>: EM only (λ = 0, no anchor) and GEE, by
    /// variant name; none for an attribute nobody measured.</summary>
    public static IReadOnlyDictionary<string, SeedSpread> ForDemo(double klCoef, string attribute = DemoCorpus.DefaultAttribute)
    {
        var (rows, steps) = attribute switch
        {
            DemoCorpus.DefaultAttribute => (All, DemoRun.Steps),
            GenderNbAttribute => (GenderNb, DemoRun.ManyGroupsSteps),
            _ => ([], 0),
        };
        return new[] { ("em", Find(rows, 0, 0, DemoRun.LearningRate, steps)), ("gee", Find(rows, DemoRun.Lambda, klCoef, DemoRun.LearningRate, steps)) }
            .Where(v => v.Item2 is not null).ToDictionary(v => v.Item1, v => v.Item2!);
    }

    /// <summary>Where the spread of <paramref name="attribute"/>'s demo is documented.</summary>
    public static string Source(string attribute) =>
        attribute == DemoCorpus.DefaultAttribute ? "docs/experiments.md, before issue 16's sampler" : "docs/demo-model.md";

    static SeedSpread? Find(IReadOnlyList<SeedSpread> rows, double lambda, double klCoef, double learningRate, int steps) =>
        rows.FirstOrDefault(s => s.Lambda == lambda && s.KlCoef == klCoef && s.LearningRate == learningRate && s.Steps == steps);

    static IReadOnlyList<SeedSpread> Read(string resourceName)
    {
        using var stream = typeof(DemoSeedSpread).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded resource {resourceName} is missing");
        return SeedSpread.ReadAll(stream);
    }
}
