using OneShotGee.Core;
using OneShotGee.Evaluation.Benchmarks;
using OneShotGee.Evaluation.Tests.Likelihood;

namespace OneShotGee.Evaluation.Tests.Benchmarks;

public sealed class BenchmarkDataErrorTests(Stories260k stories) : IClassFixture<Stories260k>, IDisposable
{
    readonly string dataDir = Directory.CreateTempSubdirectory("oneshotgee-bias-").FullName;

    public void Dispose() => Directory.Delete(dataDir, recursive: true);

    string Write(string relative, string text)
    {
        var path = Path.Combine(dataDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    string Error(ILikelihoodBenchmark benchmark, ItemLimit? limit = null) =>
        Assert.Throws<InvalidInputException>(() => benchmark.Evaluate(stories.Scorer(), dataDir, limit)).Message;

    [Theory]
    [InlineData("crows", "crows_pairs_gender.csv")]
    [InlineData("winobias", "pro_stereotyped_type1.txt.test")]
    [InlineData("winogender", "all_sentences.tsv")]
    [InlineData("stereoset", "stereoset_gender_intrasentence.jsonl")]
    [InlineData("bbq", "Gender_identity.jsonl")]
    public void A_missing_file_is_named_with_the_expected_layout(string id, string file)
    {
        var message = Error(LikelihoodBenchmarks.ById(id));
        Assert.Contains(file, message);
        Assert.Contains("expected under the data directory", message);
    }

    [Fact]
    public void A_missing_column_is_named()
    {
        Write("crows_pairs/crows_pairs_gender.csv", "sent_more,sent_less,bias_type\na,b,gender\n");
        Assert.Contains("column 'stereo_antistereo' not found", Error(new CrowsPairsBenchmark()));
    }

    [Fact]
    public void A_file_without_gender_pairs_is_empty()
    {
        Write("crows_pairs/crows_pairs_gender.csv", "sent_more,sent_less,stereo_antistereo,bias_type\n\"A, b.\",C d.,stereo,race-color\n");
        Assert.Contains("has no items", Error(new CrowsPairsBenchmark()));
    }

    [Fact]
    public void Misaligned_WinoBias_files_are_rejected()
    {
        foreach (var type in new[] { 1, 2 })
        {
            Write($"winobias/pro_stereotyped_type{type}.txt.test", "1 [He] ran.\n2 [He] sat.\n");
            Write($"winobias/anti_stereotyped_type{type}.txt.test", "1 [She] ran.\n");
        }
        Assert.Contains("line-aligned", Error(new WinoBiasBenchmark()));
    }

    [Fact]
    public void A_Winogender_occupation_without_statistics_is_named()
    {
        Write("winogender/all_sentences.tsv", "sentid\tsentence\n"
            + "pilot.someone.0.male.txt\tHe flew.\npilot.someone.0.female.txt\tShe flew.\npilot.someone.0.neutral.txt\tThey flew.\n");
        Write("winogender/occupations-stats.tsv", "occupation\tbergsma_pct_female\tbls_pct_female\tbls_year\nnurse\t90\t90\t2015\n");
        Assert.Contains("occupation 'pilot' has no row", Error(new WinogenderBenchmark()));
    }

    [Fact]
    public void A_BBQ_row_with_an_unknown_condition_is_named()
    {
        Write("bbq/data/Gender_identity.jsonl", """
            {"context": "c", "question": "q", "ans0": "a", "ans1": "b", "ans2": "c", "label": 1, "context_condition": "vague", "question_polarity": "neg"}
            """);
        Assert.Contains("context_condition 'vague' in line 1", Error(new BbqBenchmark()));
    }

    [Fact]
    public void An_unknown_benchmark_id_lists_the_known_ones() =>
        Assert.Contains("crows, winobias", Assert.Throws<InvalidInputException>(() => LikelihoodBenchmarks.ById("glue")).Message);
}
