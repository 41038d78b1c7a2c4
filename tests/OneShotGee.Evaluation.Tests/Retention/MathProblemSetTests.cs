using OneShotGee.Core;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Retention;

public class MathProblemSetTests
{
    static readonly string Gsm8k = Fixtures.PathOf("data/math/gsm8k_test.jsonl");
    static readonly string Math500 = Fixtures.PathOf("data/math/math500_test.jsonl");

    [Fact]
    public void Gsm8k_gold_is_the_number_after_the_hashes()
    {
        var all = MathProblemSet.ReadGsm8k(Gsm8k);
        Assert.Equal(["24", "5", "8400", "9", "150", "38", "5", "3,600", "3", "9", "155", "36"], all.Problems.Select(p => p.Answer));

        var set = MathProblemSet.ReadGsm8k(Gsm8k);
        Assert.Equal("gsm8k", set.Benchmark);
        Assert.StartsWith("Maria\u2019s hens lay 12 eggs", set.Problems[0].Question);
        Assert.Equal(DatasetHash.Of(Gsm8k), set.DatasetSha256);
    }

    [Fact]
    public void Math500_reads_problem_and_answer()
    {
        var set = MathProblemSet.ReadMath500(Math500);
        Assert.Equal("math500", set.Benchmark);
        Assert.Equal(6, set.Problems.Count);
        Assert.Equal("Solve $2x + 3 = 11$ for $x$.", set.Problems[1].Question);
        Assert.Equal(@"\left( 2, \frac{\pi}{2} \right)", set.Problems[2].Answer);
    }

    [SkippableFact]
    public void The_whole_sets_read_every_row()
    {
        var gsm8k = MathProblemSet.ReadGsm8k(TestData.PathOf("math/gsm8k_test.jsonl"));
        Assert.Equal(1319, gsm8k.Problems.Count);
        Assert.Equal("18", gsm8k.Problems[0].Answer);
        Assert.StartsWith("Janet", gsm8k.Problems[0].Question);
        var math500 = MathProblemSet.ReadMath500(TestData.PathOf("math/math500_test.jsonl"));
        Assert.Equal(500, math500.Problems.Count);
        Assert.Equal(@"\frac{14}{3}", math500.Problems[2].Answer);
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
    }
}
