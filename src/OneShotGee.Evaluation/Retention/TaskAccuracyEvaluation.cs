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
/// Zero-shot accuracy by greedy decoding: each problem is sent as one user turn (through the model's chat template) —
/// GSM8K and MATH500 with the instruction of Qwen2.5-Math's chain-of-thought prompt, the user's own task as it is —
/// and the response's final answer is extracted and compared with the gold one.
/// </summary>
public static class TaskAccuracyEvaluation
{
    /// <summary>The CoT instruction of the Qwen2.5-Math evaluation (also used by One-shot EM).</summary>
    public const string Instruction = "Please reason step by step, and put your final answer within \\boxed{}.";

    public static string Prompt(MathProblemSet set, MathProblem problem) =>
        set.Benchmark == MathProblemSet.Task ? problem.Question : $"{problem.Question}\n{Instruction}";

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
            var outputs = TokenGenerator.Generate(lm, [.. batch.Select(p => encoder.Encode(Prompt(set, p)))], options);
            for (var i = 0; i < batch.Length; i++)
            {
                var text = encoder.Tokenizer.Decode(outputs[i].ContentIds, skipSpecialTokens: true);
                var (predicted, correct) = Grade(set.Benchmark, text, batch[i].Answer);
                answers.Add(new GradedAnswer(batch[i].Answer, predicted, correct, outputs[i].GeneratedIds.Count));
            }
            progress?.Report(answers.Count);
        }
        return new TaskAccuracyResult(set.Benchmark, set.DatasetSha256, answers);
    }

    /// <summary>
    /// A math response by its extracted final answer, equivalent to the gold; a short answer of the user's own task by
    /// the whole response, trimmed of white space and a final period, equal to the gold.
    /// </summary>
    public static (string? Predicted, bool Correct) Grade(string benchmark, string response, string gold)
    {
        if (benchmark == MathProblemSet.Task)
        {
            var answer = response.Trim().TrimEnd('.').TrimEnd();
            return (answer, answer == gold.Trim());
        }
        var predicted = AnswerExtractor.Extract(response);
        return (predicted, AnswerEquivalence.AreEquivalent(predicted, gold));
    }
}
