using OneShotGee.Core;
using OneShotGee.Modeling.Generation;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;

namespace OneShotGee.Evaluation.Retention;

/// <summary>One graded response.</summary>
public sealed record GradedAnswer(string Gold, string? Predicted, bool Correct, int GeneratedTokens);

/// <summary>Accuracy on a math set; <see cref="ToBenchmarkResult"/> gives <c>accuracy</c>, <c>correct</c>, <c>mean_generated_tokens</c>.</summary>
public sealed record TaskAccuracyResult(string Benchmark, string DatasetSha256, IReadOnlyList<GradedAnswer> Answers)
{
    public int Correct => Answers.Count(a => a.Correct);
    public double Accuracy => (double)Correct / Answers.Count;

    public BenchmarkResult ToBenchmarkResult() => new(Benchmark, new Dictionary<string, double>
    {
        ["accuracy"] = Accuracy,
        ["correct"] = Correct,
        ["mean_generated_tokens"] = Answers.Average(a => a.GeneratedTokens),
    }, Answers.Count, DatasetSha256);
}

/// <summary>
/// Zero-shot chain-of-thought accuracy by greedy decoding: each problem is sent as one user turn (through the
/// model's chat template) with the instruction of Qwen2.5-Math's CoT prompt, and the response's final answer is
/// extracted and compared with the gold one.
/// </summary>
public static class TaskAccuracyEvaluation
{
    /// <summary>The CoT instruction of the Qwen2.5-Math evaluation (also used by One-shot EM).</summary>
    public const string Instruction = "Please reason step by step, and put your final answer within \\boxed{}.";

    public static string Prompt(MathProblem problem) => $"{problem.Question}\n{Instruction}";

    /// <param name="progress">Receives the number of problems done so far.</param>
    public static TaskAccuracyResult Evaluate(
        CausalLM lm, PromptEncoder encoder, MathProblemSet set, int maxNewTokens = Suite.EvaluationOptions.Gsm8kMaxNewTokens, int batchSize = 8,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        if (maxNewTokens < 1) throw new InvalidInputException($"max new tokens must be at least 1, got {maxNewTokens}");
        if (batchSize < 1) throw new InvalidInputException($"batch size must be at least 1, got {batchSize}");
        var options = new GenerationOptions { MaxNewTokens = maxNewTokens, EosTokenIds = encoder.StopIds };
        var answers = new List<GradedAnswer>(set.Problems.Count);
        foreach (var batch in set.Problems.Chunk(batchSize))
        {
            ct.ThrowIfCancellationRequested();
            var outputs = TokenGenerator.Generate(lm, [.. batch.Select(p => encoder.Encode(Prompt(p)))], options);
            for (var i = 0; i < batch.Length; i++)
            {
                var text = encoder.Tokenizer.Decode(outputs[i].ContentIds, skipSpecialTokens: true);
                var predicted = AnswerExtractor.Extract(text);
                answers.Add(new GradedAnswer(batch[i].Answer, predicted,
                    AnswerEquivalence.AreEquivalent(predicted, batch[i].Answer), outputs[i].GeneratedIds.Count));
            }
            progress?.Report(answers.Count);
        }
        return new TaskAccuracyResult(set.Benchmark, set.DatasetSha256, answers);
    }
}
