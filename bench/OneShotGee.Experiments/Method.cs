using OneShotGee.Core.Gee;
using OneShotGee.Training;

namespace OneShotGee.Experiments;

/// <summary>One arm of the comparison: how it changes the trainer's objective.</summary>
public sealed record Method(string Name, Func<TrainOptions, TrainOptions> Configure)
{
    // The issue's four arms; λ = 3 is the GEE default (issue 4).
    public static IReadOnlyList<Method> All { get; } =
    [
        new("em", o => o with { Lambda = 0 }),
        new("gee-l2", o => o with { Lambda = 3, Penalty = GeePenalty.L2 }),
        new("gee-l1", o => o with { Lambda = 3, Penalty = GeePenalty.L1 }),
        new("penalty-only", o => o with { Lambda = 3, Penalty = GeePenalty.L2, PenaltyOnly = true }),
    ];

    public static Method Named(string name) => All.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"unknown method '{name}'; known: {string.Join(", ", All.Select(m => m.Name))}");
}
