using System.Globalization;

namespace OneShotGee.Experiments;

/// <summary>The grid and the short-run settings, from <c>--name value</c> arguments (see docs/experiments.md).</summary>
public sealed record ExperimentOptions
{
    public IReadOnlyList<string> Models { get; init; } = ["demo", "stories260k"];
    public IReadOnlyList<string> Methods { get; init; } = [.. Method.All.Select(m => m.Name)];
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3];
    public int Steps { get; init; } = 20;
    public int EffectiveBatch { get; init; } = 16;
    public int MicroBatch { get; init; } = 4;
    public double LearningRate { get; init; } = 1e-3;
    public int MaxNewTokens { get; init; } = 8;
    public int TrainPrompts { get; init; } = 256;
    public int TrainSeed { get; init; } = 15;
    public int HeldOutPairs { get; init; } = 64;
    public int HeldOutSeed { get; init; } = 99;
    public int Samples { get; init; } = 2;
    public string Out { get; init; } = "out/experiments";
    public string? CacheDir { get; init; }

    public static ExperimentOptions Parse(string[] args)
    {
        var options = new ExperimentOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
            var value = args[i + 1];
            options = args[i] switch
            {
                "--models" => options with { Models = List(value) },
                "--methods" => options with { Methods = [.. List(value).Select(m => Method.Named(m).Name)] },
                "--seeds" => options with { Seeds = [.. List(value).Select(Int)] },
                "--steps" => options with { Steps = Int(value) },
                "--effective-batch" => options with { EffectiveBatch = Int(value) },
                "--micro-batch" => options with { MicroBatch = Int(value) },
                "--lr" => options with { LearningRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--max-new-tokens" => options with { MaxNewTokens = Int(value) },
                "--train-prompts" => options with { TrainPrompts = Int(value) },
                "--held-out-pairs" => options with { HeldOutPairs = Int(value) },
                "--samples" => options with { Samples = Int(value) },
                "--out" => options with { Out = value },
                "--cache-dir" => options with { CacheDir = value },
                var other => throw new ArgumentException($"unknown option {other}"),
            };
        }
        return options;
    }

    static IReadOnlyList<string> List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
