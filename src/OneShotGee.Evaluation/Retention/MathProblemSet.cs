using System.Text.Json;
using OneShotGee.Core;

namespace OneShotGee.Evaluation.Retention;

/// <summary>A math problem and its gold final answer.</summary>
public sealed record MathProblem(string Question, string Answer);

/// <summary>
/// A task-accuracy set read from the JSON lines of the Qwen2.5-Math evaluation suite: GSM8K (<c>question</c>, and
/// <c>answer</c> whose text after <c>####</c> is the gold) or MATH500 (<c>problem</c>, <c>answer</c>), or the user's
/// own short-answer task (<c>question</c>, <c>answer</c>).
/// </summary>
public sealed record MathProblemSet(string Benchmark, IReadOnlyList<MathProblem> Problems, string DatasetSha256)
{
    public const string Gsm8k = "gsm8k";
    public const string Math500 = "math500";
    public const string Task = "task";

    /// <summary>Every row of the file; an <see cref="ItemLimit"/> draws a subset of <see cref="Problems"/>.</summary>
    public static MathProblemSet ReadGsm8k(string path) =>
        Read(Gsm8k, path, "question", "answer", gold => AnswerExtractor.Extract(gold)
            ?? throw new InvalidInputException($"a GSM8K answer in '{path}' has no final answer after '####': {gold}"));

    public static MathProblemSet ReadMath500(string path) =>
        Read(Math500, path, "problem", "answer", gold => gold);

    /// <summary>The user's own task: <c>question</c> (sent as it is) and <c>answer</c> (the whole expected response, see <see cref="TaskAccuracyEvaluation.Grade"/>).</summary>
    public static MathProblemSet ReadTask(string path) =>
        Read(Task, path, "question", "answer", gold => gold);

    static MathProblemSet Read(string benchmark, string path, string questionField, string answerField, Func<string, string> gold)
    {
        if (!File.Exists(path)) throw new InvalidInputException($"{benchmark} file '{path}' does not exist");
        var problems = new List<MathProblem>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var where = $"line {lineNumber} of {benchmark} file '{path}'";
            try
            {
                using var document = JsonDocument.Parse(line);
                problems.Add(new MathProblem(Text(document.RootElement, questionField, where), gold(Text(document.RootElement, answerField, where))));
            }
            catch (JsonException e) { throw new InvalidInputException($"{where} is not valid JSON: {e.Message}", e); }
        }
        if (problems.Count == 0) throw new InvalidInputException($"{benchmark} file '{path}' has no rows");
        return new MathProblemSet(benchmark, problems, DatasetHash.Of(path));
    }

    static string Text(JsonElement item, string field, string where) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(field, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : throw new InvalidInputException($"field '{field}' not found in {where}");
}
