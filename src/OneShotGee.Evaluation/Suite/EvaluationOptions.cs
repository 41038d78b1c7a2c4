using OneShotGee.Core;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Paired;

namespace OneShotGee.Evaluation.Suite;

public enum EvaluationSuite
{
    /// <summary>Minutes on a CPU: a subset of each benchmark (see <see cref="EvaluationOptions.QuickItems"/>).</summary>
    Quick,

    /// <summary>Every item of every benchmark.</summary>
    Full,
}

/// <summary>
/// What <see cref="ModelEvaluator"/> measures on a model. Benchmark ids: <c>paired</c> (entropy gap on paired prompts),
/// the likelihood benchmarks <c>crows, winobias, winogender, stereoset, bbq</c> (files under <see cref="DataDirectory"/>),
/// and the retention measures <c>perplexity</c> (<see cref="HeldOutText"/>), <c>gsm8k</c> and <c>math500</c>.
/// The product ships no benchmark data: every file is the user's.
/// </summary>
public sealed record EvaluationOptions
{
    public const string Paired = "paired", Perplexity = "perplexity", Gsm8k = "gsm8k", Math500 = "math500";
    public const int QuickItems = 64;

    public IReadOnlyList<string> Benchmarks { get; init; } = [Paired];
    public EvaluationSuite Suite { get; init; } = EvaluationSuite.Quick;
    /// <summary>Root of the bias benchmark files (crows_pairs/, winobias/, winogender/, stereoset/, bbq/).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Paired prompts (pair_id, group, text: JSONL, CSV or Parquet); default the built-in Winogender-style templates.</summary>
    public string? PairedPrompts { get; init; }
    /// <summary>Held-out texts for perplexity: a .txt file (one text per line), or JSONL/Parquet with a <c>text</c> column.</summary>
    public string? HeldOutText { get; init; }
    public string? Gsm8kPath { get; init; }
    public string? Math500Path { get; init; }
    public PairedEntropyOptions PairedOptions { get; init; } = new();
    public string ChatTemplate { get; init; } = "auto";
    public string Device { get; init; } = "auto";
    public string Dtype { get; init; } = "auto";

    public static IReadOnlyList<string> KnownBenchmarks { get; } =
        [Paired, .. LikelihoodBenchmarks.All.Select(b => b.Id), Perplexity, Gsm8k, Math500];

    /// <summary>Items per benchmark: all of them in the full suite.</summary>
    public int? Limit => Suite == EvaluationSuite.Quick ? QuickItems : null;

    /// <summary>Checks names and that every chosen benchmark has its data, before any model is loaded.</summary>
    public EvaluationOptions Validated()
    {
        if (Benchmarks.Count == 0) throw new InvalidInputException("choose at least one benchmark");
        foreach (var id in Benchmarks)
        {
            if (!KnownBenchmarks.Contains(id))
                throw new InvalidInputException($"benchmark '{id}' is unknown; known: {string.Join(", ", KnownBenchmarks)}");
            var (needs, path) = id switch
            {
                Paired => ("", "builtin"),
                Perplexity => ("--held-out FILE", HeldOutText),
                Gsm8k => ("--gsm8k FILE", Gsm8kPath),
                Math500 => ("--math500 FILE", Math500Path),
                _ => ("--data-dir DIR", DataDirectory),
            };
            if (path is null) throw new InvalidInputException($"benchmark '{id}' needs {needs}");
        }
        PairedOptions.Validate();
        return this;
    }
}
