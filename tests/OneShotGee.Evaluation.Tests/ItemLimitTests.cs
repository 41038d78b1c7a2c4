using OneShotGee.Core;

namespace OneShotGee.Evaluation.Tests;

public sealed class ItemLimitTests
{
    static readonly int[] Items = [.. Enumerable.Range(0, 100)];

    [Fact]
    public void The_same_seed_draws_the_same_items_in_file_order()
    {
        var drawn = new ItemLimit(10, seed: 7).Draw(Items);
        Assert.Equal(drawn, new ItemLimit(10, seed: 7).Draw(Items));
        Assert.Equal(10, drawn.Distinct().Count());
        Assert.Equal(drawn.Order(), drawn);
    }

    [Fact]
    public void Another_seed_draws_other_items_and_neither_is_the_first_n()
    {
        var seven = new ItemLimit(10, seed: 7).Draw(Items);
        var eight = new ItemLimit(10, seed: 8).Draw(Items);
        Assert.NotEqual(seven, eight);
        Assert.NotEqual(Items[..10], seven);
        Assert.NotEqual(Items[..10], eight);
    }

    [Fact]
    public void A_limit_at_or_above_the_count_keeps_every_item()
    {
        Assert.Same(Items, new ItemLimit(100, seed: 7).Draw(Items));
        Assert.Same(Items, new ItemLimit(1000, seed: 7).Draw(Items));
    }

    [Fact]
    public void A_limit_below_one_names_the_option()
    {
        Assert.Equal("--limit must be at least 1, got 0", Assert.Throws<InvalidInputException>(() => new ItemLimit(0, seed: 7)).Message);
    }

    [Fact]
    public void A_result_says_it_comes_from_a_subset_only_when_it_does()
    {
        var result = new BenchmarkResult("crows", new Dictionary<string, double>(), 64, "sha");
        Assert.Equal("subset 64 of 262, seed 7", result.DrawnFrom(262, new ItemLimit(64, seed: 7)).Subset);
        Assert.Null(result.DrawnFrom(64, new ItemLimit(100, seed: 7)).Subset);
        Assert.Null(result.DrawnFrom(64, null).Subset);
        Assert.Equal(64, result.DrawnFrom(64, null).ItemsTotal);
    }
}
