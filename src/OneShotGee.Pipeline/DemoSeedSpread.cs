using OneShotGee.Evaluation.Reports;

namespace OneShotGee.Pipeline;

/// <summary>
/// The demo's settings measured over training seeds by the experiment grid (bench/OneShotGee.Experiments, the demo
/// rows of its summary.json, the table of docs/experiments.md), so that the demo can show its one run beside the spread.
/// </summary>
public static class DemoSeedSpread
{
    public const string ResourceName = "DemoSeedSpread.json";

    public static IReadOnlyList<SeedSpread> All { get; } = Read();

    /// <summary>The grid's row for a demo variant trained with λ, β, learning rate and steps; null if the grid lacks it.</summary>
    public static SeedSpread? For(double lambda, double klCoef, double learningRate, int steps) =>
        All.FirstOrDefault(s => s.Lambda == lambda && s.KlCoef == klCoef && s.LearningRate == learningRate && s.Steps == steps);

    /// <summary>The rows of the demo's own variants: EM only (λ = 0, no anchor) and GEE, by variant name.</summary>
    public static IReadOnlyDictionary<string, SeedSpread> ForDemo(double klCoef) =>
        new[] { ("em", For(0, 0, DemoRun.LearningRate, DemoRun.Steps)), ("gee", For(DemoRun.Lambda, klCoef, DemoRun.LearningRate, DemoRun.Steps)) }
            .Where(v => v.Item2 is not null).ToDictionary(v => v.Item1, v => v.Item2!);

    static IReadOnlyList<SeedSpread> Read()
    {
        using var stream = typeof(DemoSeedSpread).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        return SeedSpread.ReadAll(stream);
    }
}
