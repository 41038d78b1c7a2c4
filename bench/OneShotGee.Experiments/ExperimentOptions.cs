using System.Globalization;

namespace OneShotGee.Experiments;

/// <summary>The grid (λ × β × learning rate, each over the seeds) and the short-run settings, from <c>--name value</c> arguments (see docs/experiments.md).</summary>
public sealed record ExperimentOptions
{
    public IReadOnlyList<string> Models { get; init; } = ["demo", "stories260k"];
    public IReadOnlyList<double> Lambdas { get; init; } = [0, 3];
    public IReadOnlyList<double> KlCoefs { get; init; } = [0];
    public IReadOnlyList<double> LearningRates { get; init; } = [1e-3];
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3, 4, 5];
    public int Steps { get; init; } = 5;
    public int EffectiveBatch { get; init; } = 8;
    public int MicroBatch { get; init; } = 4;
    public int MaxNewTokens { get; init; } = 8;
    public int TrainPrompts { get; init; } = 256;
    public int TrainSeed { get; init; } = 15;
    // The demo's held-out pairs (DemoRun): seed 17 shares no prompt with the training prompts of seed 15.
    public int HeldOutPairs { get; init; } = 64;
    public int HeldOutSeed { get; init; } = 17;
    public int Samples { get; init; } = 2;
    public string Out { get; init; } = "out/experiments";
    public string? CacheDir { get; init; }
    /// <summary>results.jsonl files of earlier runs to summarize together (models run apart, a grid run in parts), instead of training.</summary>
    public IReadOnlyList<string> From { get; init; } = [];

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
                "--lambdas" => options with { Lambdas = [.. List(value).Select(Double)] },
                "--kl-coefs" => options with { KlCoefs = [.. List(value).Select(Double)] },
                "--lrs" => options with { LearningRates = [.. List(value).Select(Double)] },
                "--seeds" => options with { Seeds = [.. List(value).Select(Int)] },
                "--steps" => options with { Steps = Int(value) },
                "--effective-batch" => options with { EffectiveBatch = Int(value) },
                "--micro-batch" => options with { MicroBatch = Int(value) },
                "--max-new-tokens" => options with { MaxNewTokens = Int(value) },
                "--train-prompts" => options with { TrainPrompts = Int(value) },
                "--held-out-pairs" => options with { HeldOutPairs = Int(value) },
                "--held-out-seed" => options with { HeldOutSeed = Int(value) },
                "--samples" => options with { Samples = Int(value) },
                "--out" => options with { Out = value },
                "--cache-dir" => options with { CacheDir = value },
                "--from" => options with { From = List(value) },
                var other => throw new ArgumentException($"unknown option {other}"),
            };
        }
        return options;
    }

    /// <summary>Every setting of the grid, learning rate outermost; EM (λ = 0) only without the anchor, the method it stands for.</summary>
    public IEnumerable<Setting> Settings() =>
        from lr in LearningRates from lambda in Lambdas from beta in KlCoefs where lambda > 0 || beta == 0 select new Setting(lambda, beta, lr, Steps);

    static IReadOnlyList<string> List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    static double Double(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
