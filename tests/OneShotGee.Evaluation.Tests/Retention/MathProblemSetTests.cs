using OneShotGee.Core;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Retention;

public class MathProblemSetTests
{
    [Fact]
    public void Gsm8k_gold_is_the_number_after_the_hashes()
    {
        var set = MathProblemSet.ReadGsm8k(SharedData.PathOf("data/math/gsm8k_test.jsonl"), maxItems: 3);
        Assert.Equal("gsm8k", set.Benchmark);
        Assert.Equal(3, set.Problems.Count);
        Assert.Equal("18", set.Problems[0].Answer);
        Assert.StartsWith("Janet", set.Problems[0].Question);
        Assert.Equal(DatasetHash.Of(SharedData.PathOf("data/math/gsm8k_test.jsonl")), set.DatasetSha256);
    }

    [Fact]
    public void Math500_reads_problem_and_answer()
    {
        var set = MathProblemSet.ReadMath500(SharedData.PathOf("data/math/math500_test.jsonl"));
        Assert.Equal(500, set.Problems.Count);
        Assert.Equal(@"\frac{14}{3}", set.Problems[2].Answer);
    }

    [Fact]
    public void Errors_name_the_file_and_field()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gsm-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, "{\"problem\": \"x\"}\n");
        try
        {
            var error = Assert.Throws<InvalidInputException>(() => MathProblemSet.ReadGsm8k(path));
            Assert.Contains("field 'question'", error.Message);
            Assert.Contains(path, error.Message);
        }
        finally { File.Delete(path); }
        Assert.Throws<InvalidInputException>(() => MathProblemSet.ReadMath500("/nonexistent/math.jsonl"));
        Assert.Throws<InvalidInputException>(() => MathProblemSet.ReadGsm8k(SharedData.PathOf("data/math/gsm8k_test.jsonl"), 0));
    }
}
