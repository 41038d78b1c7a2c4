using OneShotGee.Core;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Evaluation.Tests.Retention;

public sealed class RetentionModelTests : IDisposable
{
    readonly CausalLM _lm = CausalLM.FromPretrained(Fixtures.PathOf("models/stories260k"));
    readonly ModelTokenizer _tokenizer = ModelTokenizer.FromDirectory(Fixtures.PathOf("models/stories260k"));

    public void Dispose() => _lm.Dispose();

    [Fact]
    public void Perplexity_equals_a_direct_log_softmax_computation()
    {
        string[] texts = ["Once upon a time, there was a little girl named Lily.", "The dog ran to the park.", "He smiled."];
        var result = PerplexityEvaluation.Evaluate(_lm, _tokenizer, texts, "sha", batchSize: 2);

        double sum = 0;
        long count = 0;
        using (no_grad())
            foreach (var text in texts)
            {
                using var scope = NewDisposeScope();
                var ids = _tokenizer.Encode(text).Select(i => (long)i).ToArray();
                var logp = _lm.call(tensor(ids, [1, ids.Length]), ones(1, ids.Length, ScalarType.Int64), null)[0].log_softmax(-1);
                for (var k = 0; k + 1 < ids.Length; k++) sum += logp[k, ids[k + 1]].item<float>();
                count += ids.Length - 1;
            }
        Assert.Equal(count, result.Tokens);
        Assert.Equal(Math.Exp(-sum / count), result.Perplexity, 1e-3);
        Assert.Equal(3, result.ToBenchmarkResult().Items);
        Assert.Equal(result.Perplexity, result.ToBenchmarkResult().Metrics["perplexity"]);
    }

    [Fact]
    public void Perplexity_truncates_long_texts()
    {
        string[] texts = ["Once upon a time, there was a little girl named Lily. She liked to play outside in the sun."];
        var cut = PerplexityEvaluation.Evaluate(_lm, _tokenizer, texts, "sha", maxTokens: 6);
        Assert.Equal(5, cut.Tokens);
        Assert.Throws<InvalidInputException>(() => PerplexityEvaluation.Evaluate(_lm, _tokenizer, [""], "sha"));
    }

    [Fact]
    public void Held_out_texts_from_txt_and_jsonl()
    {
        var dir = Directory.CreateTempSubdirectory("ppl-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.txt"), "one line\n\n  \nanother line\n");
            File.WriteAllText(Path.Combine(dir, "b.jsonl"), "{\"body\": \"x y\"}\n");
            Assert.Equal(["one line", "another line"], PerplexityEvaluation.ReadTexts(Path.Combine(dir, "a.txt")).Texts);
            Assert.Equal(["x y"], PerplexityEvaluation.ReadTexts(Path.Combine(dir, "b.jsonl"), "body").Texts);
            Assert.Contains("column 'text'", Assert.Throws<InvalidInputException>(() => PerplexityEvaluation.ReadTexts(Path.Combine(dir, "b.jsonl"))).Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Task_accuracy_grades_greedy_responses()
    {
        var all = MathProblemSet.ReadGsm8k(Fixtures.PathOf("data/math/gsm8k_test.jsonl"));
        var set = all with { Problems = [.. all.Problems.Take(3)] };
        var encoder = PromptEncoder.For(_tokenizer);
        var result = TaskAccuracyEvaluation.Evaluate(_lm, encoder, set, maxNewTokens: 12, batchSize: 2);
        Assert.Equal(3, result.Answers.Count);
        Assert.Equal(["24", "5", "8400"], result.Answers.Select(a => a.Gold));
        Assert.All(result.Answers, a => Assert.Equal(AnswerEquivalence.AreEquivalent(a.Predicted, a.Gold), a.Correct));
        Assert.All(result.Answers, a => Assert.InRange(a.GeneratedTokens, 1, 12));
        // A story model cannot do arithmetic: the check is that grading ran, and that it counts what it graded.
        var metrics = result.ToBenchmarkResult();
        Assert.Equal(result.Answers.Count(a => a.Correct) / 3.0, metrics.Metrics["accuracy"], 12);
        Assert.Equal("gsm8k", metrics.Benchmark);
    }

    [Fact]
    public void Evaluate_reports_held_out_and_gendered_perplexity_apart_each_on_its_own_file()
    {
        var dir = Directory.CreateTempSubdirectory("ppl-").FullName;
        try
        {
            string[] kept = ["The dog ran to the park.", "The sun was warm."], gendered = ["He smiled at her.", "She gave him a ball."];
            File.WriteAllLines(Path.Combine(dir, "kept.txt"), kept);
            File.WriteAllLines(Path.Combine(dir, "gendered.txt"), gendered);
            var evaluation = ModelEvaluator.Evaluate("m", Fixtures.PathOf("models/stories260k"), new EvaluationOptions
            {
                Benchmarks = [EvaluationOptions.Perplexity, EvaluationOptions.GenderedPerplexity],
                HeldOutText = Path.Combine(dir, "kept.txt"), GenderedText = Path.Combine(dir, "gendered.txt"), Device = "cpu",
            });

            var byName = evaluation.Benchmarks.ToDictionary(b => b.Benchmark, b => b.Metrics["perplexity"]);
            Assert.Equal(PerplexityEvaluation.Evaluate(_lm, _tokenizer, kept, "sha").Perplexity, byName["perplexity"], 9);
            Assert.Equal(PerplexityEvaluation.Evaluate(_lm, _tokenizer, gendered, "sha").Perplexity, byName["gendered-perplexity"], 9);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void The_users_own_task_sends_each_question_as_it_is_and_wants_the_whole_answer()
    {
        var dir = Directory.CreateTempSubdirectory("task-").FullName;
        try
        {
            var path = Path.Combine(dir, "task.jsonl");
            File.WriteAllText(path, "{\"question\": \"A clerk counts the cups: seven\", \"answer\": \"eight nine ten\"}\n");
            var set = MathProblemSet.ReadTask(path);
            var gsm8k = MathProblemSet.ReadGsm8k(Fixtures.PathOf("data/math/gsm8k_test.jsonl"));

            Assert.Equal(("task", "A clerk counts the cups: seven", "eight nine ten"), (set.Benchmark, set.Problems[0].Question, set.Problems[0].Answer));
            Assert.Equal("A clerk counts the cups: seven", TaskAccuracyEvaluation.Prompt(set, set.Problems[0]));
            Assert.EndsWith("\n" + TaskAccuracyEvaluation.Instruction, TaskAccuracyEvaluation.Prompt(gsm8k, gsm8k.Problems[0]));
            Assert.Equal(("eight nine ten", true), TaskAccuracyEvaluation.Grade("task", " eight nine ten.", "eight nine ten"));
            Assert.Equal(("eight nine", false), TaskAccuracyEvaluation.Grade("task", " eight nine.", "eight nine ten"));
            Assert.Equal(("eight nine ten eleven", false), TaskAccuracyEvaluation.Grade("task", " eight nine ten eleven.", "eight nine ten"));
            // A math answer is still its extracted final number: "ten" is not 10's spelling.
            Assert.Equal(("24", true), TaskAccuracyEvaluation.Grade("gsm8k", "so she has 24 apples.", "24"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
