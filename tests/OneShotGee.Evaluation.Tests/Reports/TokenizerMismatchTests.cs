using OneShotGee.Core;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Modeling.Loading;

namespace OneShotGee.Evaluation.Tests.Reports;

public class TokenizerMismatchTests
{
    static ModelEvaluation Model(string name, string tokenizer, string benchmark) =>
        new(name, $"/models/{name}", name + "-id", [new BenchmarkResult(benchmark, new Dictionary<string, double> { ["x"] = 1 }, 1, "sha")],
            TokenizerId: tokenizer);

    [Theory]
    [InlineData("paired")]
    [InlineData("perplexity")]
    public void TokenLevelMetricsOfModelsWithDifferentTokenizersAreRefused(string benchmark)
    {
        var error = Assert.Throws<InvalidInputException>(() => EvaluationReport.Create(
            [Model("llama", "tok-a", benchmark), Model("qwen", "tok-b", benchmark)], "llama", new Dictionary<string, long>(), new Dictionary<string, string>()));

        Assert.Contains("'llama' and 'qwen' use different tokenizers", error.Message);
    }

    [Fact]
    public void SentenceLevelMetricsCompareAcrossTokenizers()
    {
        var report = EvaluationReport.Create([Model("llama", "tok-a", "crows"), Model("qwen", "tok-b", "crows")], "llama",
            new Dictionary<string, long>(), new Dictionary<string, string>());

        Assert.Equal(2, report.Models.Count);
    }

    [Fact]
    public void TheTokenizerIdHashesTheVocabularyFile()
    {
        var stories = OneShotGee.Tests.Fixtures.PathOf("models/stories260k");
        var qwen = OneShotGee.Tests.Fixtures.PathOf("models/tiny-qwen2");

        Assert.Equal(ModelIdentity.Tokenizer(stories), ModelIdentity.Tokenizer(stories));
        Assert.NotEqual(ModelIdentity.Tokenizer(stories), ModelIdentity.Tokenizer(qwen));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(stories, "tokenizer.model")))),
            ModelIdentity.Tokenizer(stories));
    }
}
