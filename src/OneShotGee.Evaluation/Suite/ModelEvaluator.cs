using System.Diagnostics;
using OneShotGee.Core.Telemetry;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Likelihood;
using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Runtime;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Evaluation.Suite;

/// <summary>Runs the chosen benchmarks on one model: the step both <c>oneshotgee evaluate</c> and the pipeline call.</summary>
public static class ModelEvaluator
{
    /// <param name="source">What the evaluation records as the model's <see cref="ModelEvaluation.Source"/>; null: its full directory.</param>
    public static ModelEvaluation Evaluate(string name, string modelDirectory, EvaluationOptions options,
        IProgress<string>? progress = null, CancellationToken ct = default, string? source = null)
    {
        options.Validated();
        var tokenizer = ModelTokenizer.FromDirectory(modelDirectory);
        var encoder = PromptEncoder.For(tokenizer, options.ChatTemplate);
        using var lm = CausalLM.FromPretrained(modelDirectory,
            ComputeTarget.ParseDtype(options.Dtype), ComputeTarget.ParseDevice(options.Device));

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
                    paired = PairedEntropyEvaluation.Evaluate(lm, encoder, PairedPrompts(options), options.PairedOptions, ct: ct);
                    results.Add(paired.ToBenchmarkResult());
                    break;
                case EvaluationOptions.Perplexity:
                    var (texts, sha) = PerplexityEvaluation.ReadTexts(options.HeldOutText!);
                    results.Add(PerplexityEvaluation.Evaluate(lm, tokenizer, [.. texts.Take(options.Limit ?? int.MaxValue)], sha, ct: ct)
                        .ToBenchmarkResult());
                    break;
                case EvaluationOptions.Gsm8k or EvaluationOptions.Math500:
                    var set = id == EvaluationOptions.Gsm8k
                        ? MathProblemSet.ReadGsm8k(options.Gsm8kPath!, options.Limit)
                        : MathProblemSet.ReadMath500(options.Math500Path!, options.Limit);
                    results.Add(TaskAccuracyEvaluation.Evaluate(lm, encoder, set, ct: ct).ToBenchmarkResult());
                    break;
                default:
                    results.Add(LikelihoodBenchmarks.ById(id).Evaluate(new SentenceScorer(lm, tokenizer), options.DataDirectory!, options.Limit, ct));
                    break;
            }
            EvaluationMeter.Record(results[^1], clock.Elapsed.TotalSeconds);
        }
        return new ModelEvaluation(name, source ?? Path.GetFullPath(modelDirectory), ModelIdentity.Compute(modelDirectory), results, paired,
            ModelIdentity.Tokenizer(modelDirectory));
    }

    static PairedPromptSet PairedPrompts(EvaluationOptions options)
    {
        var set = options.PairedPrompts is { } path ? PairedPromptFile.Read(path) : WinogenderTemplates.Build();
        return options.Limit is { } limit ? set.Subset(limit, options.PairedOptions.Seed) : set;
    }
}
