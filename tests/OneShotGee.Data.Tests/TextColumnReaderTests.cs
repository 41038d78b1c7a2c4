using OneShotGee.Core;
using OneShotGee.Tests;

namespace OneShotGee.Data.Tests;

public class TextColumnReaderTests
{
    static readonly string Gsm8k = Fixtures.PathOf("data/math/gsm8k_test.jsonl");
    static readonly string OneProblem = Fixtures.PathOf("data/oneshot/one_problem_r16.parquet");

    [Fact]
    public void ReadsGsm8kQuestions()
    {
        var texts = TextColumnReader.Read(Gsm8k, "question");

        Assert.Equal(12, texts.Count);
        Assert.Equal("Maria\u2019s hens lay 12 eggs a day. She uses four for breakfast and sells the rest for $3 each. How many dollars does she make every day?", texts[0]);
        Assert.StartsWith("A tank holds 50 liters", texts[11]);
    }

    [SkippableFact]
    public void ReadsTheWholeGsm8kTestSet()
    {
        var texts = TextColumnReader.Read(TestData.PathOf("math/gsm8k_test.jsonl"), "question");

        Assert.Equal(1319, texts.Count);
        Assert.StartsWith("Janet\u2019s ducks lay 16 eggs per day.", texts[0]);
    }

    [Fact]
    public void ReadsTheOneShotParquetProblem()
    {
        var texts = TextColumnReader.Read(OneProblem, "problem");

        Assert.Equal(16, texts.Count);
        Assert.StartsWith("The kinetic energy \\( E \\) of a cart", texts[0]);
        Assert.All(texts, t => Assert.Equal(texts[0], t));
    }

    [Fact]
    public void ReadsAJsonArray()
    {
        using var dir = new TempDirectory();
        Assert.Equal(["a", "b"], TextColumnReader.Read(dir.Write("x.json", """ [{"problem":"a"},{"problem":"b"}] """), "problem"));
    }

    [Fact]
    public void MissingColumnListsTheColumnsPresent()
    {
        var parquet = Assert.Throws<InvalidInputException>(() => TextColumnReader.Read(OneProblem, "question"));
        Assert.Contains("column 'question'", parquet.Message);
        Assert.Contains("data_source, problem, ability, reward_model, extra_info", parquet.Message);

        var jsonl = Assert.Throws<InvalidInputException>(() => TextColumnReader.Read(Gsm8k, "problem"));
        Assert.Contains("column 'problem'", jsonl.Message);
        Assert.Contains("question, answer, idx", jsonl.Message);
        Assert.Contains("line 1 of", jsonl.Message);
    }

    [Fact]
    public void NonTextColumnIsNamed()
    {
        var error = Assert.Throws<InvalidInputException>(() => TextColumnReader.Read(OneProblem, "extra_info"));
        Assert.Contains("'extra_info'", error.Message);
        Assert.Contains("not text", error.Message);
    }

    [Fact]
    public void BadFilesAreRejectedWithTheFileNamed()
    {
        using var dir = new TempDirectory();
        var cases = new (string Path, string Expected)[]
        {
            (dir.File("missing.jsonl"), "does not exist"),
            (dir.Write("data.csv", "problem\nx\n"), "unsupported format '.csv'; supported: .parquet, .jsonl, .json"),
            (dir.Write("fake.parquet", "this is not parquet at all"), "is not a readable Parquet file"),
            (dir.Write("bad.jsonl", "{\"problem\":\"a\"}\n\n{\"problem\": oops}\n"), "line 3 of"),
            (dir.Write("empty.jsonl", "\n  \n"), "has no rows"),
            (dir.Write("number.jsonl", "{\"problem\":3}"), "is Number, not a string"),
            (dir.Write("list.jsonl", "[1,2]"), "line 1 of"),
            (dir.Write("broken.json", "[{\"problem\":"), "is not valid JSON"),
            (dir.Write("scalar.jsonl", "\"hello\""), "line 1 of"),
        };
        foreach (var (path, expected) in cases)
        {
            var error = Assert.Throws<InvalidInputException>(() => TextColumnReader.Read(path, "problem"));
            Assert.Contains(path, error.Message);
            Assert.Contains(expected, error.Message);
        }
    }
}
