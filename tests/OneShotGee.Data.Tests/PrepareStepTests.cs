using System.Text.Json;
using OneShotGee.Core;
using OneShotGee.Tests;

namespace OneShotGee.Data.Tests;

public class PrepareStepTests
{
    static readonly string Gsm8k = SharedData.PathOf("data/math/gsm8k_test.jsonl");
    static readonly string Pi1 = SharedData.PathOf("data/oneshot/pi1_r128.parquet");

    static void AssertCompletePairs(PreparedDataset dataset)
    {
        foreach (var pair in dataset.Rows.GroupBy(r => r.PairId))
            Assert.Equal(["female", "male"], pair.Select(r => r.Group).Order());
    }

    [Fact]
    public void Gsm8kWithCounterfactualAugmentationGivesCompleteBalancedPairs()
    {
        using var dir = new TempDirectory();
        var output = dir.File("gsm8k.parquet");

        var summary = PrepareStep.Run(new PrepareOptions(output, Gsm8k, TextColumn: "question", Augment: AugmentMode.Counterfactual));

        var dataset = PreparedDataset.Read(output);
        var gendered = summary.DetectedRowsPerGroup["male"] + summary.DetectedRowsPerGroup["female"];
        Assert.Equal(1319, summary.InputRows);
        Assert.Equal(1319, summary.DetectedRowsPerGroup.Values.Sum());
        Assert.InRange(gendered, 800, 1319); // the fixture notes ~850 rows with he/she/his/her; names add more
        Assert.Equal(gendered, summary.AugmentedRows);
        Assert.Equal(summary.DetectedRowsPerGroup["neutral"], summary.DroppedRows);
        Assert.Equal(2 * gendered, dataset.Rows.Count);
        Assert.Equal(dataset.Rows.Count / 2, dataset.Rows.Count(r => r.Group == "male"));
        Assert.Equal(new Dictionary<string, long> { ["male"] = gendered, ["female"] = gendered }, summary.OutputRowsPerGroup);
        AssertCompletePairs(dataset);

        var janet = dataset.Rows.Where(r => r.PairId == "0").ToList();
        Assert.Equal(["0", "0-cf"], janet.Select(r => r.Id));
        Assert.Equal(["gsm8k_test.jsonl", "counterfactual"], janet.Select(r => r.Source));
        Assert.Equal("female", janet[0].Group);
        Assert.StartsWith("Jack\u2019s ducks lay 16 eggs per day. He eats three for breakfast every morning and bakes muffins for his friends", janet[1].Text);
        var detector = new GroupDetector(Lexicon.BuiltIn("gender"));
        Assert.All(dataset.Rows, r => Assert.Equal(r.Group, detector.Detect(r.Text)));
    }

    [Fact]
    public void Gsm8kWithoutAugmentationDownsamplesToTheTargetBySeed()
    {
        using var dir = new TempDirectory();
        PrepareSummary Run(string name, int seed) =>
            PrepareStep.Run(new PrepareOptions(dir.File(name), Gsm8k, TextColumn: "question", TargetSize: 200, Seed: seed));

        var summary = Run("a.parquet", 15);
        Run("b.parquet", 15);
        Run("c.parquet", 16);

        var a = PreparedDataset.Read(dir.File("a.parquet")).Rows;
        Assert.Equal(100, a.Count(r => r.Group == "male"));
        Assert.Equal(100, a.Count(r => r.Group == "female"));
        Assert.All(a, r => Assert.Equal(r.Id, r.PairId));
        Assert.Equal(a, PreparedDataset.Read(dir.File("b.parquet")).Rows);
        Assert.NotEqual(a, PreparedDataset.Read(dir.File("c.parquet")).Rows);
        Assert.Equal(1319 - 200, summary.DroppedRows);
        Assert.Equal(0, summary.AugmentedRows);
    }

    [Fact]
    public void CounterfactualTargetSizeKeepsWholePairs()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out.parquet");

        PrepareStep.Run(new PrepareOptions(output, Gsm8k, TextColumn: "question", Augment: AugmentMode.Counterfactual, TargetSize: 100));

        var dataset = PreparedDataset.Read(output);
        Assert.Equal(100, dataset.Rows.Count);
        Assert.Equal(50, dataset.Rows.Select(r => r.PairId).Distinct().Count());
        AssertCompletePairs(dataset);
    }

    [Fact]
    public void OneShotNeutralProblemGetsTemplatedPairsReplicated()
    {
        using var dir = new TempDirectory();
        var output = dir.File("pi1.parquet");
        var problem = TextColumnReader.Read(Pi1, "problem")[0];

        var summary = PrepareStep.Run(new PrepareOptions(output, Pi1, OneShot: true, Replicate: 3));

        var dataset = PreparedDataset.Read(output);
        var templates = OneShotVariants.Templates.Count;
        Assert.True(templates >= 10);
        Assert.Equal(2 * templates * 3, dataset.Rows.Count);
        Assert.Equal(templates * 3, dataset.Rows.Count(r => r.Group == "female"));
        Assert.Equal(dataset.Rows.Count, dataset.Rows.Select(r => r.Id).Distinct().Count());
        AssertCompletePairs(dataset);
        Assert.All(dataset.Rows, r => Assert.EndsWith(problem, r.Text));
        Assert.Contains(dataset.Rows, r => r.Text.StartsWith("A woman named Mary is solving this problem: The pressure", StringComparison.Ordinal));
        Assert.Contains(dataset.Rows, r => r.Text.StartsWith("A man named James is solving this problem: The pressure", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, int> { ["male"] = 0, ["female"] = 0, ["neutral"] = 1 }, summary.DetectedRowsPerGroup);
        Assert.Equal(128, summary.InputRows);
        Assert.Equal(2 * templates, summary.AugmentedRows);
        Assert.Equal(128, summary.DroppedRows);
        Assert.Equal(2L * templates * 3, summary.OutputRows);
    }

    [Fact]
    public void OneShotGenderedProblemIsPairedWithItsTwin()
    {
        using var dir = new TempDirectory();
        var output = dir.File("janet.parquet");

        PrepareStep.Run(new PrepareOptions(output, Gsm8k, TextColumn: "question", OneShot: true, Replicate: 2));

        var rows = PreparedDataset.Read(output).Rows;
        Assert.Equal(["oneshot-0-female-r0", "oneshot-0-male-r0", "oneshot-0-female-r1", "oneshot-0-male-r1"], rows.Select(r => r.Id));
        Assert.StartsWith("Janet\u2019s ducks", rows[0].Text);
        Assert.StartsWith("Jack\u2019s ducks", rows[1].Text);
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
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", TargetSize: 201), "target size 201"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", TargetSize: 20_000), "group 'male'"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", Augment: AugmentMode.Counterfactual, TargetSize: 20_000), "counterfactual pairs"),
        (new PrepareOptions(output, Synthetic: 7), "Synthetic 7"),
        (new PrepareOptions(output, Synthetic: 0), "Synthetic 0"),
        (new PrepareOptions(output, Gsm8k, Synthetic: 4), "exactly one of InputPath"),
        (new PrepareOptions(output), "exactly one of InputPath"),
        (new PrepareOptions(output + ".csv", Gsm8k), "must end in .parquet"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", Replicate: 0), "Replicate 0"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", TargetSize: -2), "TargetSize -2"),
        (new PrepareOptions(output, Gsm8k), "column 'problem' not found"),
        (new PrepareOptions(output, Gsm8k, TextColumn: "question", Attribute: "race"), "attribute 'race'"),
        (new PrepareOptions(output, Pi1), "group 'male'"), // π1 has no gendered words
        (new PrepareOptions(output, Pi1, Augment: AugmentMode.Counterfactual), "no row of column 'problem'"),
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
