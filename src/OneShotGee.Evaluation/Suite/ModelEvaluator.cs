using System.Diagnostics;
using OneShotGee.Core.Telemetry;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Likelihood;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Modeling.Loading;
using OneShotGee.Modeling.Runtime;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Evaluation.Suite;

/// <summary>Runs the chosen benchmarks on one model: the step both <c>oneshotgee evaluate</c> and the pipeline call.</summary>
public static class ModelEvaluator
{
    /// <param name="modelDirectory">A full model or a LoRA adapter directory (see <see cref="ModelSource"/>).</param>
    /// <param name="source">What the evaluation records as the model's <see cref="ModelEvaluation.Source"/>; null: its full directory.</param>
    public static ModelEvaluation Evaluate(string name, string modelDirectory, EvaluationOptions options,
        IProgress<string>? progress = null, CancellationToken ct = default, string? source = null) =>
        Evaluate(name, ModelSource.Resolve(modelDirectory), options, progress, ct, source);

    public static ModelEvaluation Evaluate(string name, ModelSource model, EvaluationOptions options,
        IProgress<string>? progress = null, CancellationToken ct = default, string? source = null)
    {
        options.ValidatedWithoutReading();
        // Read (and checked against the attribute) once, before the model is loaded.
        var pairedPrompts = options.Benchmarks.Contains(EvaluationOptions.Paired) ? AttributePrompts.Read(options.PairedPrompts, options.Attribute) : null;
        var tokenizer = model.LoadTokenizer();
        var encoder = PromptEncoder.For(tokenizer, options.ChatTemplate);
        using var lm = model.Load(ComputeTarget.ParseDtype(options.Dtype), ComputeTarget.ParseDevice(options.Device));

        var limit = options.ItemLimit;
        var results = new List<BenchmarkResult>();
        PairedEntropyResult? paired = null;
        foreach (var id in options.Benchmarks)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report($"{name}: {id}");
            using var span = GeeTelemetry.Source.StartActivity("evaluate.benchmark")?.SetTag("benchmark", id).SetTag("variant", name);
            var clock = Stopwatch.StartNew();
            switch (id)
            {
                case EvaluationOptions.Paired:
                    paired = PairedEntropyEvaluation.Evaluate(lm, encoder, limit is null ? pairedPrompts! : pairedPrompts!.Subset(limit), options.PairedOptions, ct: ct);
                    results.Add(paired.ToBenchmarkResult().DrawnFrom(pairedPrompts!.Pairs.Count, limit));
                    break;
                case EvaluationOptions.Perplexity or EvaluationOptions.GenderedPerplexity:
                    var (texts, sha) = PerplexityEvaluation.ReadTexts(id == EvaluationOptions.Perplexity ? options.HeldOutText! : options.GenderedText!);
                    results.Add(PerplexityEvaluation.Evaluate(lm, tokenizer, limit?.Draw(texts) ?? texts, sha, ct: ct)
                        .ToBenchmarkResult(id).DrawnFrom(texts.Count, limit));
                    break;
                case EvaluationOptions.Task or EvaluationOptions.Gsm8k or EvaluationOptions.Math500:
                    var set = id switch
                    {
                        EvaluationOptions.Task => MathProblemSet.ReadTask(options.TaskPath!),
                        EvaluationOptions.Gsm8k => MathProblemSet.ReadGsm8k(options.Gsm8kPath!),
                        _ => MathProblemSet.ReadMath500(options.Math500Path!),
                    };
                    results.Add(TaskAccuracyEvaluation.Evaluate(lm, encoder, set with { Problems = limit?.Draw(set.Problems) ?? set.Problems },
                        options.MaxNewTokensFor(id), ct: ct).ToBenchmarkResult().DrawnFrom(set.Problems.Count, limit));
                    break;
                default:
                    results.Add(LikelihoodBenchmarks.ById(id).Evaluate(new SentenceScorer(lm, tokenizer), options.DataDirectory!, limit, ct));
                    break;
            }
            EvaluationMeter.Record(results[^1], clock.Elapsed.TotalSeconds);
        }
        return new ModelEvaluation(name, source ?? model.Path, ModelIdentity.Of(model), results, paired,
            ModelIdentity.Tokenizer(model.BaseDirectory), SettingsOf(options));
    }

    static EvaluationSettings SettingsOf(EvaluationOptions options) => new(
        options.ItemLimit?.Count, options.ItemLimit?.Seed, options.PairedOptions,
        options.Benchmarks.Where(EvaluationOptions.IsTaskAccuracy).ToDictionary(id => id, options.MaxNewTokensFor));
}
