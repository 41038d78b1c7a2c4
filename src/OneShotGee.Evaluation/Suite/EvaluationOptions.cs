using System.Text.Json.Serialization;
using OneShotGee.Core;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Paired;

namespace OneShotGee.Evaluation.Suite;

public enum EvaluationSuite
{
    /// <summary>Every item of every benchmark, unless <see cref="EvaluationOptions.Limit"/> says otherwise.</summary>
    Full,

    /// <summary>Shorthand for <see cref="EvaluationOptions.Limit"/> = <see cref="EvaluationOptions.QuickItems"/>.</summary>
    Quick,
}

/// <summary>
/// What <see cref="ModelEvaluator"/> measures on a model. Benchmark ids: <c>paired</c> (entropy gap on paired prompts),
/// the likelihood benchmarks <c>crows, winobias, winogender, stereoset, bbq</c> (files under <see cref="DataDirectory"/>),
/// the retention measures <c>perplexity</c> (<see cref="HeldOutText"/>: text whose likelihood the user wants kept),
/// <c>task</c>, <c>gsm8k</c> and <c>math500</c>, and <c>gendered-perplexity</c> (<see cref="GenderedText"/>: text that
/// carries the bias, whose likelihood debiasing is meant to change, so never a retention measure).
/// The product ships no benchmark data: every file is the user's.
/// </summary>
public sealed record EvaluationOptions
{
    public const string Paired = "paired", Perplexity = "perplexity", GenderedPerplexity = "gendered-perplexity",
        Task = "task", Gsm8k = "gsm8k", Math500 = "math500";
    public const int QuickItems = 64;
    /// <summary>Response lengths of the task benchmarks: GSM8K answers fit in 512 tokens, MATH500 solutions need more.</summary>
    public const int Gsm8kMaxNewTokens = 512, Math500MaxNewTokens = 1024;
    /// <summary>Response length of the user's own <c>task</c>: short answers (its questions are sent as they are, without a reasoning instruction).</summary>
    public const int DefaultTaskMaxNewTokens = 32;

    public IReadOnlyList<string> Benchmarks { get; init; } = [Paired];
    public EvaluationSuite Suite { get; init; } = EvaluationSuite.Full;
    /// <summary>Score a seeded random subset of at most this many items per benchmark (see <see cref="ItemLimit"/>); null: every item.</summary>
    public int? Limit { get; init; }
    /// <summary>The seed of the <see cref="Limit"/> draw; null: the paired gap's <see cref="PairedEntropyOptions.Seed"/>.</summary>
    public int? LimitSeed { get; init; }
    /// <summary>Response length for task, GSM8K and MATH500; null: <see cref="DefaultTaskMaxNewTokens"/>, <see cref="Gsm8kMaxNewTokens"/> and <see cref="Math500MaxNewTokens"/>.</summary>
    public int? TaskMaxNewTokens { get; init; }
    /// <summary>Root of the bias benchmark files (crows_pairs/, winobias/, winogender/, stereoset/, bbq/).</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Paired prompts (pair_id, group, text: JSONL, CSV or Parquet); default the built-in templates of <see cref="Attribute"/>.</summary>
    public string? PairedPrompts { get; init; }
    /// <summary>
    /// The attribute the paired gap measures, a built-in lexicon name or a lexicon file (as <c>prepare --attribute</c>):
    /// its built-in templates (<see cref="AttributePrompts"/>), or the attribute a <see cref="PairedPrompts"/> file's
    /// groups must be. Null: gender's Winogender-style templates, or a file's groups without an attribute name.
    /// </summary>
    public string? Attribute { get; init; }
    /// <summary>
    /// Held-out texts for perplexity — text the user wants the model to keep predicting as well as before (retention):
    /// a .txt file (one text per line), or JSONL/Parquet with a <c>text</c> column.
    /// </summary>
    public string? HeldOutText { get; init; }
    /// <summary>
    /// Texts that carry the bias (e.g. gendered prompts with their biased responses), same formats: their perplexity is
    /// reported as <c>gendered-perplexity</c>, apart from retention, since closing a gap must change it.
    /// </summary>
    public string? GenderedText { get; init; }
    /// <summary>The user's own task: JSONL with <c>question</c> and <c>answer</c>; see <see cref="Retention.MathProblemSet.ReadTask"/>.</summary>
    public string? TaskPath { get; init; }
    public string? Gsm8kPath { get; init; }
    public string? Math500Path { get; init; }
    public PairedEntropyOptions PairedOptions { get; init; } = new();
    public string ChatTemplate { get; init; } = "auto";
    public string Device { get; init; } = "auto";
    public string Dtype { get; init; } = "auto";

    public static IReadOnlyList<string> KnownBenchmarks { get; } =
        [Paired, .. LikelihoodBenchmarks.All.Select(b => b.Id), Perplexity, GenderedPerplexity, Task, Gsm8k, Math500];

    /// <summary>The subset every benchmark draws: from <see cref="Limit"/> or the quick suite; null: every item.</summary>
    [JsonIgnore]
    public ItemLimit? ItemLimit => (Suite == EvaluationSuite.Quick ? QuickItems : Limit) is { } count
        ? new ItemLimit(count, LimitSeed ?? PairedOptions.Seed) : null;

    public int MaxNewTokensFor(string task) => TaskMaxNewTokens ?? task switch
    {
        Math500 => Math500MaxNewTokens,
        Task => DefaultTaskMaxNewTokens,
        _ => Gsm8kMaxNewTokens,
    };

    /// <summary>The benchmarks whose responses are generated and graded.</summary>
    public static bool IsTaskAccuracy(string id) => id is Task or Gsm8k or Math500;

    /// <summary>Checks names, settings and that every chosen benchmark has its data, then the paired gap's inputs
    /// (<see cref="CheckPairedInputs"/>), before any model is loaded.</summary>
    public EvaluationOptions Validated()
    {
        ValidatedWithoutReading().CheckPairedInputs();
        return this;
    }

    /// <summary>
    /// <see cref="Validated"/> without reading any file: for a run's plan, which a workflow replays on a host that need
    /// not see the run's files (<c>GeeRun.Plan</c>); the step that evaluates reads and checks them.
    /// </summary>
    public EvaluationOptions ValidatedWithoutReading()
    {
        if (Benchmarks.Count == 0) throw new InvalidInputException("choose at least one benchmark");
        if (Suite == EvaluationSuite.Quick && Limit is not null)
            throw new InvalidInputException($"--suite quick is --limit {QuickItems}; give --limit (limit) or the quick suite, not both");
        if (Limit is < 1) throw new InvalidInputException($"--limit (limit) must be at least 1, got {Limit}");
        if (TaskMaxNewTokens is < 1)
            throw new InvalidInputException($"--task-max-new-tokens (task_max_new_tokens) must be at least 1, got {TaskMaxNewTokens}");
        foreach (var id in Benchmarks)
        {
            if (!KnownBenchmarks.Contains(id))
                throw new InvalidInputException($"benchmark '{id}' is unknown; known: {string.Join(", ", KnownBenchmarks)}");
            var (needs, path) = id switch
            {
                Paired => ("", "builtin"),
                Perplexity => ("--held-out FILE", HeldOutText),
                GenderedPerplexity => ("--gendered-text FILE", GenderedText),
                Task => ("--task FILE", TaskPath),
                Gsm8k => ("--gsm8k FILE", Gsm8kPath),
                Math500 => ("--math500 FILE", Math500Path),
                _ => ("--data-dir DIR", DataDirectory),
            };
            if (path is null) throw new InvalidInputException($"benchmark '{id}' needs {needs}");
        }
        PairedOptions.Validate();
        return this;
    }

    /// <summary>
    /// Reads what the paired gap will measure, so that a bad attribute fails before any model is loaded: the attribute
    /// resolves, and its templates can be written or the paired file's groups are its groups. With
    /// <paramref name="promptsComeLater"/> (a run's held-out set, prepared by an earlier step) only the attribute is resolved.
    /// </summary>
    public void CheckPairedInputs(bool promptsComeLater = false)
    {
        if (Attribute is null || !Benchmarks.Contains(Paired)) return;
        if (promptsComeLater) _ = AttributeGroups.Resolve(Attribute);
        else _ = AttributePrompts.Read(PairedPrompts, Attribute);
    }
}
