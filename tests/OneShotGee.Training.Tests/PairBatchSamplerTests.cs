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

    /// <summary>Twins whose first row comes from <paramref name="source"/> and whose second is its counterfactual.</summary>
    static List<PreparedRow> TwinsFrom(string source, int pairs) =>
        [.. Enumerable.Range(0, pairs).SelectMany(k => new[]
        {
            new PreparedRow($"{source}{k}", $"{source} {k} he", "male", $"{source}{k}", source),
            new PreparedRow($"{source}{k}-cf", $"{source} {k} she", "female", $"{source}{k}", "counterfactual"),
        })];

    static readonly Dictionary<string, double> SevenToThree = new() { ["a"] = 0.7, ["b"] = 0.3 };

    [Fact]
    public void SourceWeightsGiveEachStepItsShareOfWholeSetsFromEachSource()
    {
        var rows = TwinsFrom("a", 14).Concat(TwinsFrom("b", 6)).ToList(); // each source's epoch ends with every second step
        var sampler = new PairBatchSampler(rows, Groups, seed: 5, sourceWeights: SevenToThree, setsPerStep: 10);

        var seenA = new List<string>();
        for (var step = 0; step < 10; step++)
        {
            var batches = sampler.Next(count: 5, microBatch: 4); // 10 sets: 7 of a, 3 of b
            foreach (var batch in batches)
                foreach (var set in batch.GroupBy(r => r.PairId)) Assert.Equal(["female", "male"], set.Select(r => r.Group).Order());
            var sets = batches.SelectMany(b => b).GroupBy(r => r.PairId).ToList();
            Assert.Equal(7, sets.Count(s => sampler.SourceOf(s.First()) == "a"));
            Assert.Equal(3, sets.Count(s => sampler.SourceOf(s.First()) == "b"));
            seenA.AddRange(sets.Where(s => s.Key.StartsWith('a')).Select(s => s.Key));
        }
        Assert.Equal(100, sampler.Cursor);
        // 70 sets of a over 10 steps: five whole epochs of its 14 sets.
        Assert.Equal(14, seenA.Distinct().Count());
        Assert.All(seenA.CountBy(id => id), c => Assert.Equal(5, c.Value));

        var resumed = new PairBatchSampler(rows, Groups, seed: 5, cursor: 40, sourceWeights: SevenToThree, setsPerStep: 10);
        var straight = new PairBatchSampler(rows, Groups, seed: 5, sourceWeights: SevenToThree, setsPerStep: 10);
        for (var step = 0; step < 4; step++) straight.Next(count: 5, microBatch: 4);
        Assert.Equal(straight.Next(count: 5, microBatch: 4).SelectMany(b => b).Select(r => r.Id),
            resumed.Next(count: 5, microBatch: 4).SelectMany(b => b).Select(r => r.Id));
    }

    [Theory]
    // Largest remainder: thirds of 4 are 1.33 each, floors 1, 1, 1, the one left goes to the first source.
    [InlineData("a=1,b=1,c=1", 4, "a:2,b:1,c:1")]
    // 0.7·3 = 2.1 and 0.3·3 = 0.9: floors 2 and 0, the one left goes to b (remainder 0.9).
    [InlineData("a=0.7,b=0.3", 3, "a:2,b:1")]
    public void SharesOfAStepAreApportionedByLargestRemainder(string weights, int setsPerStep, string expected)
    {
        var rows = TwinsFrom("a", 5).Concat(TwinsFrom("b", 5)).Concat(TwinsFrom("c", 5)).ToList();
        var sampler = new PairBatchSampler(rows, Groups, seed: 1, sourceWeights: TrainOptions.ParseSourceWeights(weights), setsPerStep: setsPerStep);

        var sets = sampler.Next(count: setsPerStep, microBatch: 2).Select(b => sampler.SourceOf(b[0]));
        Assert.Equal(expected, string.Join(',', sets.CountBy(s => s).Select(c => $"{c.Key}:{c.Value}")));
    }

    [Fact]
    public void AnUnknownSourceAndASourceThatGetsNoSetAreRefused()
    {
        var rows = TwinsFrom("a", 5).Concat(TwinsFrom("b", 5)).ToList();
        var unknown = Assert.Throws<InvalidInputException>(() =>
            new PairBatchSampler(rows, Groups, seed: 1, sourceWeights: new Dictionary<string, double> { ["c"] = 1 }, setsPerStep: 2));
        Assert.Contains("source 'c'", unknown.Message);
        Assert.Contains("sources: a, b", unknown.Message); // counterfactual rows belong to their set's source
        var starved = Assert.Throws<InvalidInputException>(() =>
            new PairBatchSampler(rows, Groups, seed: 1, sourceWeights: new Dictionary<string, double> { ["a"] = 0.9, ["b"] = 0.1 }, setsPerStep: 4));
        Assert.Contains("source 'b' gets no set of a step's 4", starved.Message);
    }
}
