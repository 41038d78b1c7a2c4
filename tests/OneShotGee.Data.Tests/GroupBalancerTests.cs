using OneShotGee.Core;

namespace OneShotGee.Data.Tests;

public class GroupBalancerTests
{
    static readonly string[] Groups = ["male", "female"];

    static List<PreparedRow> Singles(int male, int female) =>
        Enumerable.Range(0, male + female)
            .Select(i => new PreparedRow($"{i}", $"t{i}", i < male ? "male" : "female", $"{i}", "in"))
            .ToList();

    static List<PreparedRow> Pairs(int count) =>
        Enumerable.Range(0, count)
            .SelectMany(i => new[] { new PreparedRow($"{i}", "a", "female", $"{i}", "in"), new PreparedRow($"{i}-cf", "b", "male", $"{i}", "cf") })
            .ToList();

    [Fact]
    public void DownsamplesTheLargerGroupToTheSmallerByDefault()
    {
        var rows = Singles(male: 10, female: 4);

        var balanced = new GroupBalancer(Groups, seed: 1).Balance(rows, targetSize: null);

        Assert.Equal(4, balanced.Count(r => r.Group == "male"));
        Assert.Equal(4, balanced.Count(r => r.Group == "female"));
        Assert.Equal(rows.Where(balanced.Contains), balanced); // input order kept
        Assert.Equal(balanced.Count, balanced.Distinct().Count());
    }

    [Fact]
    public void TargetSizeSplitsEquallyAndTheSeedDecidesWhichRows()
    {
        var rows = Singles(male: 50, female: 50);

        var a = new GroupBalancer(Groups, seed: 15).Balance(rows, targetSize: 20);
        var again = new GroupBalancer(Groups, seed: 15).Balance(rows, targetSize: 20);
        var other = new GroupBalancer(Groups, seed: 16).Balance(rows, targetSize: 20);

        Assert.Equal(10, a.Count(r => r.Group == "male"));
        Assert.Equal(10, a.Count(r => r.Group == "female"));
        Assert.Equal(a, again);
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void PairsAreKeptOrDroppedWhole()
    {
        var balanced = new GroupBalancer(Groups, seed: 3).Balance(Pairs(30), targetSize: 12);

        Assert.Equal(12, balanced.Count);
        foreach (var pair in balanced.GroupBy(r => r.PairId))
            Assert.Equal(["female", "male"], pair.Select(r => r.Group).Order());
    }

    [Fact]
    public void AllPairsAreKeptWithoutATarget() => Assert.Equal(Pairs(5), new GroupBalancer(Groups, 0).Balance(Pairs(5), null));

    [Theory]
    [InlineData(7, "target size 7", "multiple of the number of groups (2")]
    [InlineData(0, "target size 0", "positive")]
    [InlineData(12, "needs 6 rows of group 'female' but only 4 exist", "target size 12")]
    public void BadTargetSizesAreRejected(int target, string expected, string expected2)
    {
        var error = Assert.Throws<InvalidInputException>(() => new GroupBalancer(Groups, 0).Balance(Singles(10, 4), target));
        Assert.Contains(expected, error.Message);
        Assert.Contains(expected2, error.Message);
    }

    [Fact]
    public void TooFewPairsAndBrokenPairsAreRejected()
    {
        Assert.Contains("needs 6 counterfactual sets but only 5 exist",
            Assert.Throws<InvalidInputException>(() => new GroupBalancer(Groups, 0).Balance(Pairs(5), 12)).Message);
        var broken = Pairs(3).Append(new PreparedRow("x", "c", "male", "1", "in")).ToList();
        Assert.Contains("pair '1'", Assert.Throws<InvalidInputException>(() => new GroupBalancer(Groups, 0).Balance(broken, null)).Message);
    }

    [Fact]
    public void AnEmptyGroupIsNamed() =>
        Assert.Contains("group 'female'", Assert.Throws<InvalidInputException>(() => new GroupBalancer(Groups, 0).Balance(Singles(3, 0), null)).Message);
}
