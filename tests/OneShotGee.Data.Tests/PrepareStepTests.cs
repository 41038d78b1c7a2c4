using System.Text.Json;
using OneShotGee.Core;
using OneShotGee.Tests;

namespace OneShotGee.Data.Tests;

public class PrepareStepTests
{
    // 12 questions of our own in GSM8K's format: 4 male, 4 female, 4 neutral (rows 1, 4, 6, 11).
    static readonly string Gsm8k = Fixtures.PathOf("data/math/gsm8k_test.jsonl");
    // One neutral problem of our own replicated 16 times, in the schema of One-shot EM's pi1_r128.parquet.
    static readonly string OneProblem = Fixtures.PathOf("data/oneshot/one_problem_r16.parquet");

    static void AssertCompletePairs(PreparedDataset dataset)
    {
        foreach (var pair in dataset.Rows.GroupBy(r => r.PairId))
            Assert.Equal(["female", "male"], pair.Select(r => r.Group).Order());
    }

    [Fact]
    public void CounterfactualAugmentationGivesEachGenderedQuestionItsTwin()
    {
        using var dir = new TempDirectory();
        var output = dir.File("gsm8k.parquet");

        var summary = PrepareStep.Run(new PrepareOptions(output, Gsm8k, TextColumn: "question", Augment: AugmentMode.Counterfactual));

        var dataset = PreparedDataset.Read(output);
        Assert.Equal(12, summary.InputRows);
        Assert.Equal(new Dictionary<string, int> { ["male"] = 4, ["female"] = 4, ["neutral"] = 4 }, summary.DetectedRowsPerGroup);
        Assert.Equal(8, summary.AugmentedRows);
        Assert.Equal(4, summary.DroppedRows);
        Assert.Equal(new Dictionary<string, long> { ["male"] = 8, ["female"] = 8 }, summary.OutputRowsPerGroup);
        Assert.Equal([0, 2, 3, 5, 7, 8, 9, 10], dataset.Rows.Select(r => int.Parse(r.PairId)).Distinct().Order());
        AssertCompletePairs(dataset);

        var maria = dataset.Rows.Where(r => r.PairId == "0").ToList();
        Assert.Equal(["0", "0-cf"], maria.Select(r => r.Id));
        Assert.Equal(["gsm8k_test.jsonl", "counterfactual"], maria.Select(r => r.Source));
        Assert.Equal("female", maria[0].Group);
        Assert.Equal("Dennis\u2019s hens lay 12 eggs a day. He uses four for breakfast and sells the rest for $3 each. How many dollars does he make every day?", maria[1].Text);
        var lisa = dataset.Rows.Single(r => r.Id == "3-cf");
        Assert.Equal("His sister gave Christopher 15 stickers, and he gave away 6 of them to his friends. How many stickers does Christopher have left?", lisa.Text);
        var detector = new GroupDetector(Lexicon.BuiltIn("gender"));
        Assert.All(dataset.Rows, r => Assert.Equal(r.Group, detector.Detect(r.Text)));
    }

    [SkippableFact]
    public void WholeGsm8kWithCounterfactualAugmentationGivesCompleteBalancedPairs()
    {
        using var dir = new TempDirectory();
        var output = dir.File("gsm8k.parquet");

        var summary = PrepareStep.Run(new PrepareOptions(output, TestData.PathOf("math/gsm8k_test.jsonl"), TextColumn: "question", Augment: AugmentMode.Counterfactual));

        var dataset = PreparedDataset.Read(output);
        var gendered = summary.DetectedRowsPerGroup["male"] + summary.DetectedRowsPerGroup["female"];
        Assert.Equal(1319, summary.InputRows);
        Assert.Equal(1319, summary.DetectedRowsPerGroup.Values.Sum());
        Assert.InRange(gendered, 800, 1319); // the data set's notes count ~850 rows with he/she/his/her; names add more
        Assert.Equal(gendered, summary.AugmentedRows);
        Assert.Equal(2 * gendered, dataset.Rows.Count);
        Assert.Equal(new Dictionary<string, long> { ["male"] = gendered, ["female"] = gendered }, summary.OutputRowsPerGroup);
        AssertCompletePairs(dataset);

        var janet = dataset.Rows.Where(r => r.PairId == "0").ToList();
        Assert.StartsWith("Jack\u2019s ducks lay 16 eggs per day. He eats three for breakfast every morning and bakes muffins for his friends", janet[1].Text);
        var detector = new GroupDetector(Lexicon.BuiltIn("gender"));
        Assert.All(dataset.Rows, r => Assert.Equal(r.Group, detector.Detect(r.Text)));
    }

    [Fact]
    public void Gsm8kWithoutAugmentationDownsamplesToTheTargetBySeed()
    {
        using var dir = new TempDirectory();
        PrepareSummary Run(string name, int seed) =>
            PrepareStep.Run(new PrepareOptions(dir.File(name), Gsm8k, TextColumn: "question", TargetSize: 6, Seed: seed));

        var summary = Run("a.parquet", 15);
        Run("b.parquet", 15);
        Run("c.parquet", 16);

        var a = PreparedDataset.Read(dir.File("a.parquet")).Rows;
        Assert.Equal(3, a.Count(r => r.Group == "male"));
        Assert.Equal(3, a.Count(r => r.Group == "female"));
        Assert.All(a, r => Assert.Equal(r.Id, r.PairId));
        Assert.Equal(a, PreparedDataset.Read(dir.File("b.parquet")).Rows);
        Assert.NotEqual(a, PreparedDataset.Read(dir.File("c.parquet")).Rows);
        Assert.Equal(12 - 6, summary.DroppedRows);
        Assert.Equal(0, summary.AugmentedRows);
    }

    [Fact]
    public void CounterfactualTargetSizeKeepsWholePairs()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out.parquet");

        PrepareStep.Run(new PrepareOptions(output, Gsm8k, TextColumn: "question", Augment: AugmentMode.Counterfactual, TargetSize: 10));

        var dataset = PreparedDataset.Read(output);
        Assert.Equal(10, dataset.Rows.Count);
        Assert.Equal(5, dataset.Rows.Select(r => r.PairId).Distinct().Count());
        AssertCompletePairs(dataset);
    }

    [Fact]
    public void OneShotNeutralProblemGetsTemplatedPairsReplicated()
    {
        using var dir = new TempDirectory();
        var output = dir.File("pi1.parquet");
        var problem = TextColumnReader.Read(OneProblem, "problem")[0];

        var summary = PrepareStep.Run(new PrepareOptions(output, OneProblem, OneShot: true, Replicate: 3));

        var dataset = PreparedDataset.Read(output);
        var templates = OneShotVariants.Templates.Count;
        Assert.True(templates >= 10);
        Assert.Equal(2 * templates * 3, dataset.Rows.Count);
        Assert.Equal(templates * 3, dataset.Rows.Count(r => r.Group == "female"));
        Assert.Equal(dataset.Rows.Count, dataset.Rows.Select(r => r.Id).Distinct().Count());
        AssertCompletePairs(dataset);
        Assert.All(dataset.Rows, r => Assert.EndsWith(problem, r.Text));
        Assert.Contains(dataset.Rows, r => r.Text.StartsWith("A woman named Mary is solving this problem: The kinetic energy", StringComparison.Ordinal));
        Assert.Contains(dataset.Rows, r => r.Text.StartsWith("A man named James is solving this problem: The kinetic energy", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, int> { ["male"] = 0, ["female"] = 0, ["neutral"] = 1 }, summary.DetectedRowsPerGroup);
        Assert.Equal(16, summary.InputRows);
        Assert.Equal(2 * templates, summary.AugmentedRows);
        Assert.Equal(16, summary.DroppedRows);
        Assert.Equal(2L * templates * 3, summary.OutputRows);
    }

    [Fact]
    public void OneShotGenderedProblemIsPairedWithItsTwin()
    {
        using var dir = new TempDirectory();
        var output = dir.File("maria.parquet");

        PrepareStep.Run(new PrepareOptions(output, Gsm8k, TextColumn: "question", OneShot: true, Replicate: 2));

        var rows = PreparedDataset.Read(output).Rows;
        Assert.Equal(["oneshot-0-female-r0", "oneshot-0-male-r0", "oneshot-0-female-r1", "oneshot-0-male-r1"], rows.Select(r => r.Id));
        Assert.StartsWith("Maria\u2019s hens", rows[0].Text);
        Assert.StartsWith("Dennis\u2019s hens", rows[1].Text);
    }

    [Fact]
    public void SyntheticPromptsAreBalancedPairsAndSeeded()
    {
        using var dir = new TempDirectory();
        PrepareStep.Run(new PrepareOptions(dir.File("a.parquet"), Synthetic: 40, Seed: 3));
        PrepareStep.Run(new PrepareOptions(dir.File("b.parquet"), Synthetic: 40, Seed: 3));
        PrepareStep.Run(new PrepareOptions(dir.File("c.parquet"), Synthetic: 40, Seed: 4));

        var dataset = PreparedDataset.Read(dir.File("a.parquet"));
        Assert.Equal(40, dataset.Rows.Count);
        Assert.Equal(20, dataset.Rows.Count(r => r.Group == "male"));
        AssertCompletePairs(dataset);
        Assert.All(dataset.Rows, r => Assert.Equal("synthetic", r.Source));
        Assert.All(dataset.Rows, r => Assert.Matches(@"\d", r.Text));
        var detector = new GroupDetector(Lexicon.BuiltIn("gender"));
        Assert.All(dataset.Rows, r => Assert.Equal(r.Group, detector.Detect(r.Text)));
        Assert.Equal(dataset.Rows, PreparedDataset.Read(dir.File("b.parquet")).Rows);
        Assert.NotEqual(dataset.Rows, PreparedDataset.Read(dir.File("c.parquet")).Rows);
        foreach (var pair in dataset.Rows.Chunk(2)) // same numbers in both texts of a pair
            Assert.Equal(Numbers(pair[0].Text), Numbers(pair[1].Text));
    }

    static string[] Numbers(string text) => System.Text.RegularExpressions.Regex.Matches(text, @"\d+").Select(m => m.Value).ToArray();

    [Fact]
    public void ANewAttributeNeedsOnlyALexiconFile()
    {
        using var dir = new TempDirectory();
        var lexicon = dir.Write("age.json", """{"attribute":"age","groups":{"young":["teen","kid"],"old":["elderly","retiree"]}}""");
        var input = dir.Write("in.jsonl", string.Join('\n',
            """{"problem":"A teen has 3 pens."}""", """{"problem":"A kid has 2 pens."}""",
            """{"problem":"A retiree has 5 pens."}""", """{"problem":"A box has 4 pens."}"""));

        var summary = PrepareStep.Run(new PrepareOptions(dir.File("out.parquet"), input, Attribute: "age", LexiconPath: lexicon));

        Assert.Equal(new Dictionary<string, long> { ["young"] = 1, ["old"] = 1 }, summary.OutputRowsPerGroup);
        Assert.Equal(new Dictionary<string, int> { ["young"] = 2, ["old"] = 1, ["neutral"] = 1 }, summary.DetectedRowsPerGroup);
        Assert.StartsWith("age-", summary.LexiconId);
        Assert.Equal(["young", "old"], PreparedDataset.Read(dir.File("out.parquet")).Groups);
    }

    [Fact]
    public void SummarySerialisesWithSnakeCaseNamesAndProgressIsReported()
    {
        using var dir = new TempDirectory();
        var messages = new List<string>();

        var summary = PrepareStep.Run(new PrepareOptions(dir.File("out.parquet"), Synthetic: 4, Seed: 9), new SyncProgress(messages));

        using var json = JsonDocument.Parse(summary.ToJson());
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["input_path", "input_rows", "detected_rows_per_group", "augmented_rows", "dropped_rows", "replicate",
            "output_rows_per_group", "output_rows", "lexicon_id", "output_path", "seed"], names);
        Assert.Equal(2, json.RootElement.GetProperty("output_rows_per_group").GetProperty("female").GetInt64());
        Assert.Equal(9, json.RootElement.GetProperty("seed").GetInt32());
        Assert.Contains(messages, m => m.StartsWith("wrote 4 rows to", StringComparison.Ordinal));
    }

    sealed class SyncProgress(List<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Add(value);
    }

    static (PrepareOptions Options, string Expected)[] BadOptions(string output) =>
    [
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", TargetSize: 7), "target size 7"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", TargetSize: 20_000), "group 'male'"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", Augment: AugmentMode.Counterfactual, TargetSize: 20_000), "counterfactual sets"),
        (new PrepareOptions(output, Synthetic: 7), "Synthetic 7"),
        (new PrepareOptions(output, Synthetic: 0), "Synthetic 0"),
        (new PrepareOptions(output, Gsm8k, Synthetic: 4), "exactly one of InputPath"),
        (new PrepareOptions(output), "exactly one of InputPath"),
        (new PrepareOptions(output + ".csv", Gsm8k), "must end in .parquet"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", Replicate: 0), "Replicate 0"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", TargetSize: -2), "TargetSize -2"),
        (new PrepareOptions(output, Gsm8k), "column 'problem' not found"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", Attribute: "race"), "attribute 'race'"),
        (new PrepareOptions(output, OneProblem), "group 'male'"), // the problem has no gendered words
        (new PrepareOptions(output, OneProblem, Augment: AugmentMode.Counterfactual), "no row of column 'problem'"),
    ];

    [Fact]
    public void BadOptionsAndInputsFailWithoutTouchingTheOutput()
    {
        using var dir = new TempDirectory();
        var output = dir.Write("out.parquet", "previous contents");
        foreach (var (options, expected) in BadOptions(output))
        {
            var error = Assert.Throws<InvalidInputException>(() => PrepareStep.Run(options));
            Assert.Contains(expected, error.Message);
            Assert.Equal("previous contents", File.ReadAllText(output));
            Assert.Equal([output], Directory.GetFiles(dir.Path));
        }
    }

    [Fact]
    public void LexiconFileForAnotherAttributeIsRejected()
    {
        using var dir = new TempDirectory();
        var lexicon = dir.Write("age.json", """{"attribute":"age","groups":{"young":["teen"],"old":["elderly"]}}""");

        var error = Assert.Throws<InvalidInputException>(() =>
            PrepareStep.Run(new PrepareOptions(dir.File("out.parquet"), Gsm8k, TextColumn: "question", LexiconPath: lexicon)));

        Assert.Contains(lexicon, error.Message);
        Assert.Contains("'age'", error.Message);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.parquet"));
    }
}
