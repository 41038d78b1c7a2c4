using OneShotGee.Core;

namespace OneShotGee.Evaluation.Benchmarks;

/// <summary>The likelihood benchmarks by id: crows, winobias, winogender, stereoset, bbq.</summary>
public static class LikelihoodBenchmarks
{
    public static IReadOnlyList<ILikelihoodBenchmark> All { get; } =
        [new CrowsPairsBenchmark(), new WinoBiasBenchmark(), new WinogenderBenchmark(), new StereoSetBenchmark(), new BbqBenchmark()];

    public static ILikelihoodBenchmark ById(string id) =>
        All.FirstOrDefault(b => b.Id == id)
        ?? throw new InvalidInputException($"unknown benchmark '{id}'; known: {string.Join(", ", All.Select(b => b.Id))}");
}
