using OneShotGee.Core;
using OneShotGee.Data;

namespace OneShotGee.Training.Tests;

public sealed class PairBatchSamplerTests
{
    static readonly string[] Groups = ["male", "female"];

    static List<PreparedRow> Twins(int pairs, string[]? groups = null) =>
        [.. Enumerable.Range(0, pairs).SelectMany(k => (groups ?? Groups).Select(g => new PreparedRow($"{k}-{g}", $"text {k} {g}", g, $"p{k}", "test")))];

    [Theory]
    [InlineData("male,female", 4)]
    [InlineData("male,female,nonbinary", 6)] // counterfactual triples of a three-group lexicon
    public void EveryMicroBatchHoldsEveryGroupAndWholeSets(string groupList, int microBatch)
    {
        var groups = groupList.Split(',');
        var sampler = new PairBatchSampler(Twins(10, groups), groups, seed: 15);
        foreach (var batch in sampler.Next(count: 7, microBatch: microBatch))
        {
            Assert.Equal(microBatch, batch.Count);
            foreach (var set in batch.GroupBy(r => r.PairId)) Assert.Equal(groups.Order(), set.Select(r => r.Group).Order());
        }
    }

    [Fact]
    public void EachEpochVisitsEveryPairOnceInASeededOrder()
    {
        var rows = Twins(6);
        var epoch = new PairBatchSampler(rows, Groups, seed: 1).Next(count: 6, microBatch: 2).Select(b => b[0].PairId).ToList();
        Assert.Equal(rows.Select(r => r.PairId).Distinct().Order(), epoch.Order());
        var again = new PairBatchSampler(rows, Groups, seed: 1).Next(count: 6, microBatch: 2).Select(b => b[0].PairId);
        var otherSeed = new PairBatchSampler(rows, Groups, seed: 2).Next(count: 6, microBatch: 2).Select(b => b[0].PairId);
        Assert.Equal(epoch, again);
        Assert.NotEqual(epoch, otherSeed);
    }

    [Fact]
    public void ASamplerRestoredFromTheCursorContinuesTheSameOrderAcrossEpochs()
    {
        var rows = Twins(5);
        var straight = new PairBatchSampler(rows, Groups, seed: 15);
        straight.Next(count: 3, microBatch: 2);
        var resumed = new PairBatchSampler(rows, Groups, seed: 15, cursor: straight.Cursor);
        Assert.Equal(3, resumed.Cursor);
        Assert.Equal(straight.Next(count: 9, microBatch: 2).SelectMany(b => b).Select(r => r.Id),
            resumed.Next(count: 9, microBatch: 2).SelectMany(b => b).Select(r => r.Id));
    }

    [Fact]
    public void RowsWithoutTwinsAreZippedOnePerGroup()
    {
        List<PreparedRow> rows = [.. Enumerable.Range(0, 8).Select(i => new PreparedRow($"r{i}", $"t{i}", Groups[i % 2], $"r{i}", "test"))];
        var batches = new PairBatchSampler(rows, Groups, seed: 3).Next(count: 2, microBatch: 4);
        foreach (var batch in batches) Assert.Equal(["female", "female", "male", "male"], batch.Select(r => r.Group).Order());
        Assert.Equal(8, batches.SelectMany(b => b).Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void ATwinSetMissingAGroupIsRejectedNamingThePairId()
    {
        var rows = Twins(3);
        rows.RemoveAt(rows.FindIndex(r => r.PairId == "p1" && r.Group == "female"));
        var error = Assert.Throws<InvalidInputException>(() => new PairBatchSampler(rows, Groups, seed: 1));
        Assert.Contains("pair_id 'p1'", error.Message);
    }
}
