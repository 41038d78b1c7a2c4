using OneShotGee.Core.Gee;

namespace OneShotGee.Core.Tests.Gee;

public class GeeOptionsTests
{
    static readonly GeeOptions Valid = new() { Groups = ["male", "female"] };

    [Fact]
    public void DefaultsFollowTheIssue()
    {
        Assert.Equal(3.0, Valid.Lambda);
        Assert.Equal(0.5, Valid.Temperature);
        Assert.Equal(GeePenalty.L2, Valid.Penalty);
        Assert.False(Valid.PenaltyOnly);
        Assert.False(Valid.AutoAnneal);
        Assert.Same(Valid, Valid.Validated());
    }

    public static TheoryData<GeeOptions, string> BadOptions => new()
    {
        { Valid with { Lambda = -0.1 }, "Lambda" },
        { Valid with { Lambda = double.NaN }, "Lambda" },
        { Valid with { Temperature = 0 }, "Temperature" },
        { Valid with { Temperature = double.NaN }, "Temperature" },
        { Valid with { Temperature = double.PositiveInfinity }, "Temperature" },
        { Valid with { Penalty = (GeePenalty)7 }, "Penalty" },
        { Valid with { Penalty = GeePenalty.SquaredDifference, Groups = ["a", "b", "c"] }, "exactly two groups" },
        { Valid with { Groups = [] }, "Groups" },
        { Valid with { Groups = ["male", "male"] }, "Groups" },
        { Valid with { Groups = ["male", " "] }, "Groups" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void InvalidOptionIsNamed(GeeOptions options, string option)
    {
        var error = Assert.Throws<InvalidInputException>(() => options.Validated());
        Assert.Contains(option, error.Message);
    }

    [Fact]
    public void LossRejectsInvalidOptions() =>
        Assert.Throws<InvalidInputException>(() => new GroupEntropyEqualizationLoss(Valid with { Lambda = -1 }));
}
