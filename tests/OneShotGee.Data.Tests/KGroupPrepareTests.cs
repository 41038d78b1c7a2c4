using OneShotGee.Tests;

namespace OneShotGee.Data.Tests;

/// <summary>Prepare with a lexicon of three groups: K-tuples instead of twins, balanced, and the mixed-row rule.</summary>
public class KGroupPrepareTests
{
    // young: rows 0, 4 (two young words and one old word), 6; adult: row 1; old: row 2; neutral: row 3, row 5 (a tie).
    static readonly string Lexicon3 = Fixtures.PathOf("data/groups/age3.json");
    static readonly string Rows = Fixtures.PathOf("data/groups/age_rows.jsonl");

    [Fact]
    public void ALexiconFileAsAttributeWritesOneBalancedTripleForEachDetectedRow()
    {
        using var dir = new TempDirectory();
        var output = dir.File("age.parquet");

        var summary = PrepareStep.Run(new PrepareOptions(output, Rows, Attribute: Lexicon3, Augment: AugmentMode.Counterfactual));

        var dataset = PreparedDataset.Read(output);
        Assert.Equal(["young", "adult", "old"], dataset.Groups);
        Assert.Equal(new Dictionary<string, int> { ["young"] = 3, ["adult"] = 1, ["old"] = 1, ["neutral"] = 2 }, summary.DetectedRowsPerGroup);
        Assert.Equal(new Dictionary<string, long> { ["young"] = 5, ["adult"] = 5, ["old"] = 5 }, summary.OutputRowsPerGroup);
        Assert.Equal(10, summary.AugmentedRows);
        Assert.StartsWith("age-", summary.LexiconId);
        foreach (var set in dataset.Rows.GroupBy(r => r.PairId))
            Assert.Equal(["adult", "old", "young"], set.Select(r => r.Group).Order());
        var detector = new GroupDetector(Lexicon.Load(Lexicon3));
        Assert.All(dataset.Rows, r => Assert.Equal(r.Group, detector.Detect(r.Text)));

        var retiree = dataset.Rows.Where(r => r.PairId == "2").ToList();
        Assert.Equal(["2", "2-cf-young", "2-cf-adult"], retiree.Select(r => r.Id));
        Assert.Equal("A student walks 2 miles a day. How far does the teen walk in a week?", retiree[1].Text);
        Assert.Equal("A worker walks 2 miles a day. How far does the adult walk in a week?", retiree[2].Text);
    }

    [Fact]
    public void AMixedRowTakesItsMajorityGroupAndEachVariantExchangesOnlyTheTwoGroupsInvolved()
    {
        using var dir = new TempDirectory();
        var output = dir.File("age.parquet");

        PrepareStep.Run(new PrepareOptions(output, Rows, Attribute: Lexicon3, Augment: AugmentMode.Counterfactual));

        // Row 4 has two young words and one old word: young by majority. Its adult variant leaves the old word as it is;
        // its old variant exchanges young and old both ways, so old is that variant's majority. Row 5 (one young word,
        // one old word) is a tie: neutral, so it is dropped.
        var mixed = PreparedDataset.Read(output).Rows.Where(r => r.PairId == "4").ToDictionary(r => r.Group, r => r.Text);
        Assert.Equal("Two teens and a student help a senior carry 9 bags. How many bags does each of the 3 carry?", mixed["young"]);
        Assert.Equal("Two adults and a worker help a senior carry 9 bags. How many bags does each of the 3 carry?", mixed["adult"]);
        Assert.Equal("Two seniors and a retiree help a teen carry 9 bags. How many bags does each of the 3 carry?", mixed["old"]);
        Assert.DoesNotContain(PreparedDataset.Read(output).Rows, r => r.PairId == "5");
    }

    [Fact]
    public void ATargetSizeKeepsWholeTriples()
    {
        using var dir = new TempDirectory();
        var output = dir.File("age.parquet");

        var summary = PrepareStep.Run(new PrepareOptions(output, Rows, Attribute: Lexicon3, Augment: AugmentMode.Counterfactual, TargetSize: 6));

        Assert.Equal(new Dictionary<string, long> { ["young"] = 2, ["adult"] = 2, ["old"] = 2 }, summary.OutputRowsPerGroup);
        Assert.All(PreparedDataset.Read(output).Rows.GroupBy(r => r.PairId), set => Assert.Equal(3, set.Count()));
    }

    [Fact]
    public void TheNonBinaryGenderBuiltInMakesSyntheticTriples()
    {
        using var dir = new TempDirectory();
        var output = dir.File("nb.parquet");

        var summary = PrepareStep.Run(new PrepareOptions(output, Attribute: "gender-nb", Synthetic: 6, Seed: 3));

        Assert.Equal(new Dictionary<string, long> { ["male"] = 2, ["female"] = 2, ["nonbinary"] = 2 }, summary.OutputRowsPerGroup);
        var rows = PreparedDataset.Read(output).Rows;
        Assert.Equal(["synthetic-0-male", "synthetic-0-female", "synthetic-0-nonbinary"], rows.Take(3).Select(r => r.Id));
        Assert.All(rows.Where(r => r.Group == "nonbinary"), r => Assert.Contains(" they ", r.Text, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("multiple of the 3 groups", Assert.Throws<Core.InvalidInputException>(() =>
            PrepareStep.Run(new PrepareOptions(dir.File("bad.parquet"), Attribute: "gender-nb", Synthetic: 4))).Message);
    }
}
