using OneShotGee.Evaluation.Paired;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Retention;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Loading;
using OneShotGee.Modeling.Tokenization;
using OneShotGee.Tests;

namespace OneShotGee.Evaluation.Tests.Reports;

/// <summary>The path the CLI host takes: evaluate a real model twice (as baseline and as a second model) and write the report.</summary>
public sealed class EndToEndReportTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Stories260k_paired_and_perplexity_report()
    {
        var modelDir = Fixtures.PathOf("models/stories260k");
        using var lm = CausalLM.FromPretrained(modelDir);
        var tokenizer = ModelTokenizer.FromDirectory(modelDir);
        var set = WinogenderTemplates.Build().Subset(6, seed: 15);
        var texts = new[] { "Once upon a time, there was a little girl named Lily.", "The dog ran to the park." };

        ModelEvaluation Evaluate(string name, PairedEntropyOptions options)
        {
            var paired = PairedEntropyEvaluation.Evaluate(lm, PromptEncoder.For(tokenizer), set, options);
            var ppl = PerplexityEvaluation.Evaluate(lm, tokenizer, texts, "texts-sha");
            return new ModelEvaluation(name, modelDir, ModelIdentity.Compute(modelDir), [paired.ToBenchmarkResult(), ppl.ToBenchmarkResult()], paired);
        }

        var baseline = Evaluate("baseline", new PairedEntropyOptions { Greedy = true, MaxNewTokens = 8, BootstrapResamples = 100 });
        var sampled = Evaluate("sampled", new PairedEntropyOptions { SamplesPerPrompt = 2, MaxNewTokens = 8, BootstrapResamples = 100 });
        var report = EvaluationReport.Create([baseline, sampled], "baseline",
            new Dictionary<string, long> { ["paired"] = 15 }, new Dictionary<string, string> { [set.Name] = set.Sha256 });
        var files = ReportWriter.Write(_dir, report);

        Assert.Equal(2, files.Plots.Count);
        var comparison = Assert.Single(report.Comparisons);
        Assert.Equal(1 - sampled.Paired!.Gap / baseline.Paired!.Gap, comparison.GapReduction!.Value, 12);
        Assert.Equal(0, comparison.Deltas["perplexity"]["perplexity"]); // same weights, same texts
        Assert.Equal(File.ReadAllText(files.Json), ReportJson.Serialize(ReportJson.Read(files.Json)));
        Assert.Contains("| metric | baseline | sampled |", File.ReadAllLines(files.Markdown));
    }
}
